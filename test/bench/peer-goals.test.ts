/** bench:http's rows and goals: medians over rounds, ratios taken within a round, Little's law, marginal CPU per request. */
import { describe, expect, it } from 'vitest';
import { judgeGoals, type GoalCells } from '../../src/bench/peer-goals.js';
import type { CellPair, CellRun } from '../../src/bench/peer-grid.js';
import { fixedCpuMs, summarizeRows } from '../../src/bench/peer-summary.js';

/** One run of `seconds` at `rate` req/s, whose CPU is `fixedMs` plus `cpuUsPerRequest` per request. */
function run(
  round: number,
  server: string,
  inFlight: number,
  client: string,
  rate: number,
  seconds: number,
  extra: Partial<CellRun> = {},
): CellRun {
  const meanUs = (inFlight / rate) * 1e6;
  return {
    round,
    seconds,
    server,
    inFlight,
    client,
    figures: { requests: rate * seconds, errors: 0, requestsPerSec: rate, meanUs, p50Us: meanUs, p99Us: meanUs * 2 },
    failure: null,
    cpuMs: 1000,
    wallMs: seconds * 1000,
    serverCpuMs: seconds * 500,
    ...extra,
  };
}

/** A client's pair of runs (1 s and 3 s) of one cell, costing fixedMs per process plus usPerRequest per request. */
function pair(
  round: number,
  server: string,
  inFlight: number,
  client: string,
  rate: number,
  cpu: { readonly fixedMs: number; readonly usPerRequest: number } = { fixedMs: 400, usPerRequest: 100 },
  longExtra: Partial<CellRun> = {},
): CellPair {
  const cpuMs = (seconds: number) => cpu.fixedMs + (rate * seconds * cpu.usPerRequest) / 1000;
  return {
    short: run(round, server, inFlight, client, rate, 1, { cpuMs: cpuMs(1) }),
    long: run(round, server, inFlight, client, rate, 3, { cpuMs: cpuMs(3), ...longExtra }),
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
  it("takes the longer run's figures and medians over rounds; achieved in flight is rate x mean latency; CPU per request whole and marginal", () => {
    const failedLong = pair(2, '5ms', 16, 'pipebench', 1000, undefined, { figures: null, failure: 'exit 1: boom' });
    const [row] = summarizeRows({
      pairs: [
        pair(
          0,
          '5ms',
          16,
          'pipebench',
          2000,
          { fixedMs: 3000, usPerRequest: 50 },
          {
            figures: { requests: 6000, errors: 0, requestsPerSec: 2000, meanUs: 7500, p50Us: 7000, p99Us: 9000 },
          },
        ),
        pair(1, '5ms', 16, 'pipebench', 2400, { fixedMs: 3600, usPerRequest: 70 }),
        failedLong,
      ],
    });
    expect(row!.perRound.map((r) => r.round)).toEqual([0, 1]);
    // Round 0: 3,000 + 6,000 x 0.05 = 3,300 ms over 6,000 requests = 550 µs whole; the slope is 50 µs; half the server's core.
    expect(row!.perRound[0]).toMatchObject({ achievedInFlight: 15, serverCpuPct: 50 });
    expect(row!.perRound[0]!.cpuUsPerRequest).toBeCloseTo(550, 9);
    expect(row!.perRound[0]!.marginalCpuUsPerRequest).toBeCloseTo(50, 9);
    expect(row!.perRound[0]!.fixedCpuMs).toBeCloseTo(3000, 9);
    expect(row!.median!.requestsPerSec).toBe(2200);
    expect(row!.median!.marginalCpuUsPerRequest).toBeCloseTo(60, 9);
    expect(row!.median!.fixedCpuMs).toBeCloseTo(3300, 9);
    expect(row!.failure).toBe('exit 1: boom');
    expect(fixedCpuMs([row!]).get('pipebench')).toBeCloseTo(3300, 9);
  });

  it('keeps the longer run as the row when the shorter one failed, without a marginal figure for that round', () => {
    const broken = pair(0, '5ms', 16, 'hey', 2000);
    const [row] = summarizeRows({ pairs: [{ ...broken, short: { ...broken.short, figures: null, failure: 'exit 1: no' } }] });
    expect(row!.perRound[0]!.requestsPerSec).toBe(2000);
    expect(row!.perRound[0]!.marginalCpuUsPerRequest).toBeNull();
    expect(row!.median!.marginalCpuUsPerRequest).toBeNull();
  });
});

describe('judgeGoals', () => {
  const goalsOf = (pairs: CellPair[]) => judgeGoals(summarizeRows({ pairs }), CELLS);

  it('judges each ratio within its round, so a slow round for both clients does not decide it', () => {
    const goals = goalsOf([
      pair(0, '5ms', 16, 'pipebench', 3000),
      pair(0, '5ms', 16, 'autocannon', 2900),
      pair(0, '5ms', 16, 'hey', 3100),
      // The machine slowed both down in round 2: the ratio still holds.
      pair(1, '5ms', 16, 'pipebench', 1500),
      pair(1, '5ms', 16, 'autocannon', 1450),
      pair(1, '5ms', 16, 'hey', 1550),
    ]);
    const byGoal = new Map(goals.map((g) => [g.goal, g]));
    expect(byGoal.get('requests/s >= 1.0x autocannon (16 in flight, 5ms server)')).toMatchObject({ state: 'met', measured: '1.034x' });
    expect(byGoal.get('requests/s >= 0.9x hey (16 in flight, 5ms server)')).toMatchObject({ state: 'met', measured: '0.968x' });
    expect(byGoal.get("p99 <= 1.2x hey's (16 in flight, 5ms server)")!.state).toBe('met');
    expect(goals.find((g) => g.goal.startsWith('requests/s with N workers'))!.state).toBe('not measured');
  });

  it('judges CPU per request on the marginal figure: a larger start-up does not count against it, a larger slope does', () => {
    const cpuGoal = (ours: { fixedMs: number; usPerRequest: number }) =>
      goalsOf([
        pair(0, '5ms', 16, 'pipebench', 2500, ours),
        pair(0, '5ms', 16, 'autocannon', 2500, { fixedMs: 400, usPerRequest: 50 }),
      ]).find((g) => g.goal === "CPU per request, marginal, <= autocannon's (16 in flight, 5ms server)")!;
    expect(cpuGoal({ fixedMs: 4000, usPerRequest: 45 })).toMatchObject({ state: 'met', measured: '0.900x' });
    expect(cpuGoal({ fixedMs: 400, usPerRequest: 60 })).toMatchObject({ state: 'NOT met', measured: '1.200x' });
    // A slope at or below zero is noise: that round is not judged.
    expect(cpuGoal({ fixedMs: 400, usPerRequest: -5 }).state).toBe('not measured');
  });

  it('fails achieved in flight on the worst pipebench cell and names it', () => {
    const short = pair(0, 'instant', 64, 'pipebench', 10_000, undefined, {
      figures: { requests: 30_000, errors: 0, requestsPerSec: 10_000, meanUs: 6000, p50Us: 5000, p99Us: 9000 },
    });
    const goal = goalsOf([pair(0, '5ms', 16, 'pipebench', 3000), short]).find((g) => g.goal.startsWith('achieved in flight'))!;
    expect(goal).toMatchObject({ state: 'NOT met', measured: 'worst 0.938 N (60.00 of 64, instant server)' });
  });

  it('scales with workers: met at 0.9 N, or at 1.0x once the server saturates its core', () => {
    const scaling = (withWorkers: number, serverCpuMs: number) =>
      goalsOf([
        pair(0, 'instant', 64, 'pipebench', 10_000),
        pair(0, 'instant', 64, 'pipebench x2', withWorkers, undefined, { serverCpuMs }),
      ]).find((g) => g.goal.startsWith('requests/s with N workers'))!.state;
    expect(scaling(18_500, 1500)).toBe('met');
    expect(scaling(14_000, 1500)).toBe('NOT met');
    expect(scaling(14_000, 2900)).toBe('met');
    expect(scaling(9_000, 2900)).toBe('NOT met');
  });
});
