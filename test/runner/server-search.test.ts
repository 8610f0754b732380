import { describe, expect, it } from 'vitest';
import type { LaunchServerSpec, ServerParams } from '../../src/core/server-config.js';
import { sweepServerConfigs, worthRaising, type ConfigOutcome } from '../../src/runner/server-search.js';

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
