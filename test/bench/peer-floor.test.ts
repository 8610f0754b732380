/** bench:http's undici floor rows: the floor's output parsed, the ratios against it, and its flags. */
import { describe, expect, it } from 'vitest';
import { floorComparisons, renderFloorComparisons } from '../../src/bench/peer-floor.js';
import { parsePeerBenchFlags } from '../../src/bench/peer-flags.js';
import type { GoalCells } from '../../src/bench/peer-goals.js';
import type { CellPair, CellRun } from '../../src/bench/peer-grid.js';
import { parseFloorOutput } from '../../src/bench/peer-output.js';
import { summarizeRows } from '../../src/bench/peer-summary.js';
import { InputError } from '../../src/errors.js';

const FLOOR = 'undici (floor)';
const CELLS: GoalCells = { goalServer: '5ms', goalInFlight: 16, ceilingServer: 'instant', ceilingInFlight: 64, workers: null };

/** A client's pair of runs (1 s and 3 s) at `rate` req/s, costing 500 ms per process plus usPerRequest per request. */
function pair(round: number, server: string, inFlight: number, client: string, usPerRequest: number, rate = 2000): CellPair {
  const run = (seconds: number): CellRun => ({
    round,
    seconds,
    server,
    inFlight,
    client,
    figures: { requests: rate * seconds, errors: 0, requestsPerSec: rate, meanUs: 8000, p50Us: 8000, p99Us: 9000 },
    failure: null,
    cpuMs: 500 + (rate * seconds * usPerRequest) / 1000,
    wallMs: seconds * 1000,
    serverCpuMs: 0,
  });
  return { short: run(1), long: run(3) };
}

describe('parseFloorOutput', () => {
  it("reads the floor client's JSON line among other output, figures in µs", () => {
    const figures = { requests: 5000, errors: 2, requestsPerSec: 2500.5, meanUs: 6100.25, p50Us: 6000, p99Us: 9100 };
    const line = JSON.stringify({ floor: true, ...figures, connections: 16, pipelining: 1 });
    expect(parseFloorOutput(`(node:1) a warning\n${line}\n`)).toEqual(figures);
  });

  it('says what it got when there is no result line, or no request succeeded', () => {
    expect(() => parseFloorOutput('Error: connect ECONNREFUSED\n')).toThrow(
      'the undici floor client printed no result line (Error: connect ECONNREFUSED)',
    );
    expect(() => parseFloorOutput('')).toThrow('printed no result line (no output)');
    const none = { floor: true, requests: 0, errors: 9, requestsPerSec: 0, meanUs: 0, p50Us: 0, p99Us: 0, connections: 1, pipelining: 1 };
    expect(() => parseFloorOutput(JSON.stringify(none))).toThrow('completed no request');
  });
});

describe('floorComparisons', () => {
  it('takes pipebench over the floor and the floor over autocannon per round on the marginal CPU, at the goal and the ceiling cell', () => {
    const rows = summarizeRows({
      pairs: [
        pair(0, '5ms', 16, 'pipebench', 42),
        pair(0, '5ms', 16, FLOOR, 30),
        pair(0, '5ms', 16, 'autocannon', 25),
        // A second round at another speed: per-round ratios 1.4 and 1.6 -> median 1.5.
        pair(1, '5ms', 16, 'pipebench', 56),
        pair(1, '5ms', 16, FLOOR, 35),
        pair(1, '5ms', 16, 'autocannon', 35),
        pair(0, 'instant', 64, 'pipebench', 60),
        pair(0, 'instant', 64, FLOOR, 40),
      ],
    });
    const comparisons = floorComparisons(rows, CELLS, FLOOR, null);
    expect(comparisons.map((c) => [c.what, c.at])).toEqual([
      ['pipebench over undici (floor)', '16 in flight, 5ms server'],
      ['undici (floor) over autocannon', '16 in flight, 5ms server'],
      ['pipebench over undici (floor)', '64 in flight, instant server'],
      ['undici (floor) over autocannon', '64 in flight, instant server'],
    ]);
    expect(comparisons[0]!.ratio).toBeCloseTo(1.5, 9);
    expect(comparisons[0]!.usPerRequest[0]).toBeCloseTo(49, 9);
    expect(comparisons[0]!.usPerRequest[1]).toBeCloseTo(32.5, 9);
    // 30/25 = 1.2 and 35/35 = 1.0.
    expect(comparisons[1]!.ratio).toBeCloseTo(1.1, 9);
    expect(comparisons[2]!.ratio).toBeCloseTo(1.5, 9);
    // No autocannon row at the ceiling: not measured, said so.
    expect(comparisons[3]!.ratio).toBeNull();
    const text = renderFloorComparisons(comparisons);
    expect(text.split('\n')[0]).toBe(
      "- pipebench over undici (floor) (what pipebench's own code adds per request; 16 in flight, 5ms server): 1.500x, 49.0 vs 32.5 µs/req: 16.5 µs",
    );
    expect(text.split('\n')[3]).toBe(
      '- undici (floor) over autocannon (what undici costs beyond a hand-written client; 64 in flight, instant server): not measured (a row it needs did not run)',
    );
  });

  it('adds the pipelined floor over the plain one when that row ran', () => {
    const pipelined = `${FLOOR} pipelining 4`;
    const rows = summarizeRows({ pairs: [pair(0, '5ms', 16, FLOOR, 40), pair(0, '5ms', 16, pipelined, 30)] });
    const comparisons = floorComparisons(rows, { ...CELLS, ceilingServer: '5ms', ceilingInFlight: 16 }, FLOOR, pipelined);
    expect(comparisons).toHaveLength(3);
    expect(comparisons[2]).toMatchObject({ what: `${pipelined} over ${FLOOR}`, at: '16 in flight, 5ms server' });
    expect(comparisons[2]!.ratio).toBeCloseTo(0.75, 9);
  });
});

describe('bench:http flags for the floor', () => {
  it('runs the floor by default, unpipelined; --pipelining K adds a pipelined floor row', () => {
    expect(parsePeerBenchFlags([])).toMatchObject({ withFloor: true, floorPipelining: 1, peers: ['autocannon', 'hey', 'wrk'] });
    expect(parsePeerBenchFlags(['--clients', 'pipebench,autocannon'])).toMatchObject({ withFloor: false, peers: ['autocannon'] });
    expect(parsePeerBenchFlags(['--clients', 'undici', '--pipelining', '4'])).toMatchObject({ withFloor: true, floorPipelining: 4 });
  });

  it('names the flag when --pipelining is bad or has no floor to pipeline', () => {
    expect(() => parsePeerBenchFlags(['--pipelining', '0'])).toThrow(
      new InputError('--pipelining', 'expected a whole number >= 1, got "0"'),
    );
    expect(() => parsePeerBenchFlags(['--clients', 'pipebench', '--pipelining', '2'])).toThrow(/--pipelining.*add undici to --clients/);
    expect(() => parsePeerBenchFlags(['--clients', 'curl'])).toThrow(/unknown curl \(pipebench, undici, autocannon, hey, wrk\)/);
  });
});
