import { describe, expect, it } from 'vitest';
import { judgeStability } from '../../src/analysis/stability.js';
import type { WindowStat } from '../../src/core/measurement.js';

/** One-second windows back to back, each with `completed` items and its p95. */
function windows(specs: readonly (readonly [number, number | null])[]): WindowStat[] {
  return specs.map(([completed, e2eP95Ms], i) => ({ startMs: 1000 * i, endMs: 1000 * (i + 1), completed, errors: 0, e2eP95Ms }));
}

describe('judgeStability', () => {
  it('stable when the last 3 windows agree within 10 %, whatever came before', () => {
    const verdict = judgeStability(
      windows([
        [10, 90],
        [100, 10],
        [105, 10.5],
        [100, 10.2],
      ]),
    );
    expect(verdict.kind).toBe('stable');
    expect(verdict.stable).toBe(true);
    expect(verdict.p95Spread).toBeCloseTo(0.05, 12);
    expect(verdict.throughputSpread).toBeCloseTo(0.05, 12);
    expect(verdict.reason).toBe('last 3 windows agree within 10.0 % (p95 5.0 %, throughput 5.0 %)');
  });

  it('exactly at the tolerance is stable; just over is not', () => {
    expect(
      judgeStability(
        windows([
          [100, 10],
          [110, 11],
          [100, 10],
        ]),
      ).kind,
    ).toBe('stable');
    const over = judgeStability(
      windows([
        [100, 10],
        [100, 11.2],
        [100, 10],
      ]),
    );
    expect(over.kind).toBe('unstable');
    expect(over.reason).toBe('last 3 windows: p95 spread 12.0 % over 10.0 %');
  });

  it('names both spreads when both break', () => {
    const verdict = judgeStability(
      windows([
        [100, 10],
        [150, 20],
        [100, 10],
      ]),
    );
    expect(verdict.reason).toBe('last 3 windows: p95 spread 100.0 % and throughput spread 50.0 % over 10.0 %');
    expect(verdict.stable).toBe(false);
  });

  it('a window with no completions is unstable, naming it', () => {
    const verdict = judgeStability(
      windows([
        [100, 10],
        [100, 10],
        [0, null],
        [100, 10],
      ]),
    );
    expect(verdict).toEqual({
      kind: 'unstable',
      stable: false,
      reason: 'window 3 completed no items',
      p95Spread: null,
      throughputSpread: null,
      samplingError: null,
    });
  });

  it('a window with no p95 or no duration is unstable too', () => {
    expect(
      judgeStability(
        windows([
          [100, 10],
          [100, null],
          [100, 10],
        ]),
      ).reason,
    ).toBe('window 2 has no p95');
    const zero: WindowStat[] = [
      ...windows([
        [100, 10],
        [100, 10],
      ]),
      { startMs: 2000, endMs: 2000, completed: 5, errors: 0, e2eP95Ms: 10 },
    ];
    expect(judgeStability(zero).reason).toBe('window 3 has no duration');
  });

  it('fewer windows than N: not yet judged (empty too)', () => {
    expect(
      judgeStability(
        windows([
          [100, 10],
          [100, 10],
        ]),
      ),
    ).toEqual({
      kind: 'not-judged',
      stable: false,
      reason: '2 of 3 windows measured',
      p95Spread: null,
      throughputSpread: null,
      samplingError: null,
    });
    expect(judgeStability([]).kind).toBe('not-judged');
  });

  it('settable N and tolerance; one window with N = 1 is trivially stable; all equal spread 0', () => {
    const five = windows([
      [100, 10],
      [100, 10],
      [100, 10],
      [100, 10],
      [118, 10],
    ]);
    expect(judgeStability(five, { lastN: 5 }).kind).toBe('unstable');
    expect(judgeStability(five, { lastN: 5, tolerance: 0.2 }).kind).toBe('stable');
    expect(judgeStability(five, { lastN: 4 }).kind).toBe('unstable');
    expect(judgeStability(windows([[1, 3]]), { lastN: 1 })).toMatchObject({ kind: 'stable', p95Spread: 0, throughputSpread: 0 });
  });

  it('throughput is per second of each window, not raw counts', () => {
    const uneven: WindowStat[] = [
      { startMs: 0, endMs: 1000, completed: 100, errors: 0, e2eP95Ms: 10 },
      { startMs: 1000, endMs: 3000, completed: 200, errors: 0, e2eP95Ms: 10 },
      { startMs: 3000, endMs: 3500, completed: 50, errors: 0, e2eP95Ms: 10 },
    ];
    expect(judgeStability(uneven)).toMatchObject({ kind: 'stable', throughputSpread: 0 });
  });
});
