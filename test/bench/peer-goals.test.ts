/** bench:http's rows and goals: medians over rounds, ratios taken within a round, Little's law, CPU net of start-up. */
import { describe, expect, it } from 'vitest';
import { judgeGoals, type GoalCells } from '../../src/bench/peer-goals.js';
import type { CellRun, GridResult } from '../../src/bench/peer-grid.js';
import { summarizeRows } from '../../src/bench/peer-summary.js';

function run(round: number, server: string, inFlight: number, client: string, rate: number, extra: Partial<CellRun> = {}): CellRun {
  const meanUs = (inFlight / rate) * 1e6;
  return {
    round,
    server,
    inFlight,
    client,
    figures: { requests: rate * 3, errors: 0, requestsPerSec: rate, meanUs, p50Us: meanUs, p99Us: meanUs * 2 },
    failure: null,
    cpuMs: 1000,
    wallMs: 3000,
    serverCpuMs: 1500,
    ...extra,
  };
}

const CELLS: GoalCells = {
  goalServer: '5ms',
  goalInFlight: 16,
  ceilingServer: 'instant',
  ceilingInFlight: 64,
  workers: { client: 'pipebench x2', count: 2 },
};

describe('summarizeRows', () => {
  it("takes medians over rounds; achieved in flight is the client's rate x its mean latency; CPU per request net of its start-up", () => {
    const result: GridResult = {
      runs: [
        run(0, '5ms', 16, 'pipebench', 2000, {
          cpuMs: 900,
          figures: { requests: 6000, errors: 0, requestsPerSec: 2000, meanUs: 7500, p50Us: 7000, p99Us: 9000 },
        }),
        run(1, '5ms', 16, 'pipebench', 2400, { cpuMs: 1100 }),
        run(2, '5ms', 16, 'pipebench', 1000, { figures: null, failure: 'exit 1: boom' }),
      ],
      startups: [
        { round: 0, client: 'pipebench', cpuMs: 300 },
        { round: 1, client: 'pipebench', cpuMs: 500 },
      ],
    };
    const [row] = summarizeRows(result);
    expect(row!.perRound.map((r) => r.round)).toEqual([0, 1]);
    expect(row!.perRound[0]).toMatchObject({ achievedInFlight: 15, cpuUsPerRequest: 150, netCpuUsPerRequest: 100, serverCpuPct: 50 });
    expect(row!.median!.requestsPerSec).toBe(2200);
    expect(row!.median!.netCpuUsPerRequest).toBeCloseTo((100 + 600_000 / 7200) / 2, 6);
    expect(row!.failure).toBe('exit 1: boom');
  });
});

describe('judgeGoals', () => {
  const goalsOf = (runs: CellRun[]) => judgeGoals(summarizeRows({ runs, startups: [] }), CELLS);

  it('judges each ratio within its round, so a slow round for both clients does not decide it', () => {
    const goals = goalsOf([
      run(0, '5ms', 16, 'pipebench', 3000),
      run(0, '5ms', 16, 'autocannon', 2900),
      run(0, '5ms', 16, 'hey', 3100),
      // The machine slowed both down in round 2: the ratio still holds.
      run(1, '5ms', 16, 'pipebench', 1500),
      run(1, '5ms', 16, 'autocannon', 1450),
      run(1, '5ms', 16, 'hey', 1550),
    ]);
    const byGoal = new Map(goals.map((g) => [g.goal, g]));
    expect(byGoal.get('requests/s >= 1.0x autocannon (16 in flight, 5ms server)')).toMatchObject({ state: 'met', measured: '1.034x' });
    expect(byGoal.get('requests/s >= 0.9x hey (16 in flight, 5ms server)')).toMatchObject({ state: 'met', measured: '0.968x' });
    expect(byGoal.get("p99 <= 1.2x hey's (16 in flight, 5ms server)")!.state).toBe('met');
    expect(goals.find((g) => g.goal.startsWith('requests/s with N workers'))!.state).toBe('not measured');
  });

  it('fails achieved in flight on the worst pipebench cell and names it', () => {
    const short = run(0, 'instant', 64, 'pipebench', 10_000, {
      figures: { requests: 30_000, errors: 0, requestsPerSec: 10_000, meanUs: 6000, p50Us: 5000, p99Us: 9000 },
    });
    const goal = goalsOf([run(0, '5ms', 16, 'pipebench', 3000), short]).find((g) => g.goal.startsWith('achieved in flight'))!;
    expect(goal).toMatchObject({ state: 'NOT met', measured: 'worst 0.938 N (60.00 of 64, instant server)' });
  });

  it('scales with workers: met at 0.9 N, or at 1.0x once the server saturates its core', () => {
    const scaling = (withWorkers: number, serverCpuMs: number) =>
      goalsOf([run(0, 'instant', 64, 'pipebench', 10_000), run(0, 'instant', 64, 'pipebench x2', withWorkers, { serverCpuMs })]).find((g) =>
        g.goal.startsWith('requests/s with N workers'),
      )!.state;
    expect(scaling(18_500, 1500)).toBe('met');
    expect(scaling(14_000, 1500)).toBe('NOT met');
    expect(scaling(14_000, 2900)).toBe('met');
    expect(scaling(9_000, 2900)).toBe('NOT met');
  });
});
