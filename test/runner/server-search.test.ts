import { describe, expect, it } from 'vitest';
import type { LaunchServerSpec, ServerParams } from '../../src/core/server-config.js';
import { maxServerRuns, sweepServerConfigs, worthRaising, type ConfigOutcome } from '../../src/runner/server-search.js';
import { maxListedProbes, searchListed } from '../../src/runner/search.js';

const measured = (itemsPerSec: number, withinBudget = true, serverBatchMean: number | null = null): ConfigOutcome => ({
  measured: true,
  itemsPerSec,
  withinBudget,
  serverBatchMean,
});

function spec(params: LaunchServerSpec['params'], searchAxis: string | null): LaunchServerSpec {
  return {
    kind: 'launch',
    command: 'x --port {port}',
    healthPath: '/health',
    params,
    readyTimeoutMs: 1000,
    stopGraceMs: 100,
    passEnv: [],
    searchAxis,
  };
}

/** Runs the sweep against a throughput model of the server; returns the configurations it asked for. */
async function tried(s: LaunchServerSpec, model: (params: ServerParams) => ConfigOutcome): Promise<ServerParams[]> {
  const asked: ServerParams[] = [];
  await sweepServerConfigs(s, async (params) => {
    asked.push(params);
    return model(params);
  });
  return asked;
}

describe('worthRaising', () => {
  it('the first value measured is worth raising; a failed one is not', () => {
    expect(worthRaising(1, measured(10), [])).toBe(true);
    expect(worthRaising(1, { measured: false, itemsPerSec: null, withinBudget: false, serverBatchMean: null }, [])).toBe(false);
  });

  it('needs 5 % more throughput than the values below it', () => {
    expect(worthRaising(8, measured(104), [measured(100)])).toBe(false);
    expect(worthRaising(8, measured(106), [measured(100)])).toBe(true);
  });

  it("prunes with the server's own metrics: a maximum its batcher did not fill is not worth raising", () => {
    expect(worthRaising(32, measured(200, true, 12), [measured(100)])).toBe(false);
    expect(worthRaising(32, measured(200, true, 30), [measured(100)])).toBe(true);
  });

  it('over budget above a value that met it stops; over budget below any pass goes on', () => {
    expect(worthRaising(64, measured(300, false), [measured(100, true)])).toBe(false);
    expect(worthRaising(4, measured(300, false), [measured(100, false)])).toBe(true);
  });
});

describe('sweepServerConfigs', () => {
  it('grid (no search axis): every configuration, last parameter fastest', async () => {
    const asked = await tried(spec({ a: [1, 2], b: [5, 6] }, null), () => measured(1));
    expect(asked).toEqual([
      { a: 1, b: 5 },
      { a: 1, b: 6 },
      { a: 2, b: 5 },
      { a: 2, b: 6 },
    ]);
  });

  it('search: doubling along the axis until throughput stops gaining, then bisection, for each value of the others', async () => {
    // Throughput rises with maxBatchSize up to 16 and is flat above (16.5: within 5 %).
    const model = (p: ServerParams) => measured(Math.min(p.maxBatchSize ?? 0, 16.5) * (p.instances ?? 1));
    const values = [1, 8, 12, 16, 20, 24, 28, 32, 64];
    const asked = await tried(spec({ instances: [1, 2], maxBatchSize: values }, 'maxBatchSize'), model);
    const along = (instances: number) => asked.filter((p) => p.instances === instances).map((p) => p.maxBatchSize);
    // Doubling 1, 8 (the largest listed <= 2 is none past 1, so the next), 16, 32 gains nothing: bisection 24, 20.
    expect(along(1)).toEqual([1, 8, 16, 32, 24, 20]);
    expect(along(2)).toEqual([1, 8, 16, 32, 24, 20]);
    expect(asked.length).toBeLessThan(2 * values.length);
  });
});

describe('the most runs a sweep can make', () => {
  /** Runs searchListed under every sequence of answers (an adversary), returning the most probes any made. */
  async function worstCase(values: number[]): Promise<number> {
    let most = 0;
    for (let bits = 0; bits < 2 ** values.length; bits++) {
      let probes = 0;
      await searchListed(values, async () => ((bits >> probes++) & 1) === 1);
      most = Math.max(most, probes);
    }
    return most;
  }

  it.each([[[1]], [[1, 2]], [[1, 8, 12, 16, 20, 24, 28, 32, 64]], [[1, 2, 3, 4, 5, 6, 7, 8]], [[1, 2, 4, 8, 16, 32, 64, 128, 256]]])(
    'maxListedProbes(%j) is the worst case of searchListed over every answer sequence',
    async (values) => {
      expect(maxListedProbes(values)).toBe(await worstCase(values));
    },
  );

  it('maxServerRuns: the grid without a search axis, else the search worst case per value of the others', () => {
    expect(maxServerRuns(spec({ a: [1, 2], b: [5, 6, 7] }, null))).toBe(6);
    expect(maxServerRuns(spec({ maxQueueDelayMs: [0, 100], maxBatchSize: [1, 2, 4, 8, 16, 32, 64, 128, 256] }, 'maxBatchSize'))).toBe(
      2 * maxListedProbes([1, 2, 4, 8, 16, 32, 64, 128, 256]),
    );
    // Doubling over powers of two may visit every value; over a dense list it cannot.
    expect(maxListedProbes([1, 2, 4, 8, 16, 32, 64, 128, 256])).toBe(9);
    expect(maxListedProbes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])).toBeLessThan(16);
  });
});
