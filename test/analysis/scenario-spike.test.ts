import { describe, expect, it } from 'vitest';
import { findSpike, judgeSpike } from '../../src/analysis/scenario-spike.js';
import { placeStages } from '../../src/load/placed-stages.js';
import { scenarioFacts, T0, timeline, type StageRow, type WindowValues } from './scenario-fixtures.js';

// 0-5 s ramp, 5-15 s hold at 100, 15-17 s rise, 17-20 s at 500, 20-22 s fall, 22-32 s back at 100.
const ROWS: StageRow[] = [
  ['ramp-up', 5000, 100],
  ['hold', 10_000, 100],
  ['spike', 2000, 500],
  ['spike-hold', 3000, 500],
  ['fall', 2000, 100],
  ['recovery', 10_000, 100],
];

/** 32 windows: ramp 80 ms, the hold's first window 500 ms (skipped), then 100 ms; spike 2 s; `after` from 22 s on. */
function windows(after: readonly (number | null)[]): WindowValues[] {
  return [
    ...Array.from({ length: 5 }, () => ({ p95Ms: 80 })),
    { p95Ms: 500 },
    ...Array.from({ length: 9 }, () => ({ p95Ms: 100 })),
    ...Array.from({ length: 7 }, (_, i) => ({ p95Ms: 2000, errors: i === 3 ? 70 : 0 })),
    ...after.map((p95Ms) => ({ p95Ms })),
  ];
}

const bad = (n: number): number[] => Array.from({ length: n }, () => 300);
const good = (n: number): number[] => Array.from({ length: n }, () => 105);

describe('findSpike', () => {
  it('finds the hold before the rise, the rise start and the fall end from the profile', () => {
    const shape = findSpike(
      placeStages(
        ROWS.map(([name, durationMs, target]) => ({ name, durationMs, target })),
        T0,
      ),
    );
    expect(shape?.before?.name).toBe('hold');
    expect(shape?.riseStartMs).toBe(T0 + 15_000);
    expect(shape?.fallEndMs).toBe(T0 + 22_000);
    expect(shape?.falls).toBe(true);
  });
});

describe('judgeSpike', () => {
  it('the pre-spike p95 is the window p95 that 9 in 10 baseline windows stayed under, so scattered windows can recover', () => {
    // The hold's 9 judged windows scatter 92..124 ms (median 100): against the median, a baseline-like
    // window at 115 ms would never read as recovered.
    const scattered = [92, 96, 98, 99, 100, 104, 110, 118, 124];
    const values: WindowValues[] = [
      ...Array.from({ length: 5 }, () => ({ p95Ms: 80 })),
      { p95Ms: 500 },
      ...scattered.map((p95Ms) => ({ p95Ms })),
      ...Array.from({ length: 7 }, () => ({ p95Ms: 2000 })),
      ...[300, 115, 121, 98, 118, 105, 99, 101, 110, 104].map((p95Ms) => ({ p95Ms })),
    ];
    const verdict = judgeSpike(scenarioFacts('spike', ROWS, timeline(values)), 30_000);
    expect(verdict.preSpikeP95Ms).toBe(124); // nearest rank: of 9 windows, the 9th
    expect(verdict.recoveryMs).toBe(1000);
  });

  it('recovers after exactly 3 windows: pre-spike p95 skips the hold first window, spike worst and errors reported', () => {
    const verdict = judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([...bad(3), ...good(7)]))), 30_000);
    expect(verdict.preSpikeP95Ms).toBe(100);
    expect(verdict.spikeWorstP95Ms).toBe(2000);
    expect(verdict.spikeErrorRate).toBeCloseTo(70 / 770, 12);
    expect(verdict.spikeStartAtMs).toBe(15_000);
    expect(verdict.spikeEndAtMs).toBe(22_000);
    expect(verdict.recoveryMs).toBe(3000);
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toBe(
      'Spike: worst window p95 2 s and errors 9.1 % during the spike (15 s to 22 s); p95 was back within 10 % of its pre-spike 100 ms after 3 s (target 30 s).',
    );
  });

  it('a single good window does not count: it must stay back for the next two', () => {
    const verdict = judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([300, 105, 300, 300, ...good(6)]))), 30_000);
    expect(verdict.recoveryMs).toBe(4000);
  });

  it('misses a recovery target shorter than the recovery', () => {
    const verdict = judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([...bad(3), ...good(7)]))), 2000);
    expect(verdict.recoveryMs).toBe(3000);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('after 3 s (target 2 s, missed)');
  });

  it('back only in the last windows, with too few left to confirm it, is not a recovery; never back is null', () => {
    // A last (often short) drain window alone cannot show p95 stayed back.
    expect(judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([...bad(9), 105]))), 30_000).recoveryMs).toBeNull();
    expect(judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([...bad(7), 105, 104, 103]))), 30_000).recoveryMs).toBe(7000);
    const never = judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([...bad(9), null]))), 30_000);
    expect(never.recoveryMs).toBeNull();
    expect(never.passed).toBe(false);
    expect(never.summary).toContain('p95 never came back within 10 % of its pre-spike 100 ms before the run ended');
  });

  it('a window with nothing completed (p95 null) is not back', () => {
    expect(judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([null, null, null, ...good(7)]))), 30_000).recoveryMs).toBe(3000);
  });

  it('interrupted before the spike began, or during it', () => {
    const before = judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([]).slice(0, 12)), 'SIGINT'), 30_000);
    expect(before.passed).toBe(false);
    expect(before.recoveryMs).toBeNull();
    expect(before.summary).toBe('Spike: the run ended before the spike began (at 15 s), so there is nothing to judge.');
    const during = judgeSpike(scenarioFacts('spike', ROWS, timeline(windows([]).slice(0, 18)), 'SIGINT'), 30_000);
    expect(during.recoveryMs).toBeNull();
    expect(during.spikeWorstP95Ms).toBe(2000);
    expect(during.summary).toContain('the run ended before the spike was over');
    const empty = judgeSpike(scenarioFacts('spike', ROWS, []), 30_000);
    expect(empty.passed).toBe(false);
    expect(empty.summary).toContain('before the spike began');
  });

  it('no hold before the rise: nothing to recover to', () => {
    const rows: StageRow[] = [
      ['spike', 2000, 500],
      ['hold', 2000, 500],
      ['fall', 2000, 0],
      ['after', 2000, 0],
    ];
    const verdict = judgeSpike(scenarioFacts('spike', rows, timeline(Array.from({ length: 8 }, () => ({ p95Ms: 100 })))), 30_000);
    expect(verdict.preSpikeP95Ms).toBeNull();
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('no hold before the spike to recover to');
  });

  it('a profile that never rises has no spike', () => {
    const rows: StageRow[] = [['idle', 2000, 0]];
    const verdict = judgeSpike(scenarioFacts('spike', rows, timeline([{ p95Ms: 5 }, { p95Ms: 5 }])), 30_000);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('never rises');
  });
});
