import { describe, expect, it } from 'vitest';
import { judgeLeak, judgeSoak } from '../../src/analysis/scenario-soak.js';
import { hostReport, hostSample, scenarioFacts, T0, timeline, type StageRow, type WindowValues } from './scenario-fixtures.js';

// 0-10 s ramp (fast windows: a fit over them would show a rise), 10-130 s soak at 200, 130-135 s down.
const ROWS: StageRow[] = [
  ['ramp-up', 10_000, 200],
  ['soak', 120_000, 200],
  ['ramp-down', 5000, 0],
];
const HOLD = 120;
const MiB = 1024 ** 2;

function windows(hold: (i: number) => WindowValues): WindowValues[] {
  return [
    ...Array.from({ length: 10 }, () => ({ p95Ms: 10, completed: 10 })),
    ...Array.from({ length: HOLD }, (_, i) => hold(i)),
    ...Array.from({ length: 5 }, () => ({ p95Ms: 10, completed: 10 })),
  ];
}

const flat = windows(() => ({ p95Ms: 100 }));
/** p95 rising linearly by 20 % from the first hold window to the last. */
const rising = windows((i) => ({ p95Ms: 100 + (20 * i) / (HOLD - 1) }));

/** One host sample a second over the 135 s, memory from `rss(i)`, tensors from `tensors(i)`. */
function host(rssMiB: (i: number) => number, tensors: ((i: number) => number) | null = null) {
  return hostReport(
    Array.from({ length: 136 }, (_, i) =>
      hostSample(
        T0 + i * 1000,
        rssMiB(i) * MiB,
        50 * MiB,
        tensors === null ? null : { numTensors: tensors(i), numBytes: tensors(i) * 1024 },
      ),
    ),
  );
}

describe('judgeSoak', () => {
  it('a linear 20 % p95 rise over the hold is worse drift and fails; the ramps are left out', () => {
    const verdict = judgeSoak(
      scenarioFacts('soak', ROWS, timeline(rising)),
      host(() => 300),
    );
    expect(verdict.p95Drift?.relativeOverRun).toBeCloseTo(0.2, 9);
    expect(verdict.p95Drift?.relativePerHour).toBeCloseTo((0.2 / 119) * 3600, 6);
    expect(verdict.p95Drift?.direction).toBe('worse');
    expect(verdict.p95Drift?.points).toBe(HOLD);
    expect(verdict.throughputDrift?.direction).toBe('flat');
    expect(verdict.leak.verdict).toBe('no-leak');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toMatch(
      /^Soak: p95 \+20 % over the run \(worse\), throughput \+0 % over the run \(flat\); no leak, RSS 300\.0 MiB -> 300\.0 MiB/,
    );
  });

  it('flat p95 and constant memory pass', () => {
    const verdict = judgeSoak(
      scenarioFacts('soak', ROWS, timeline(flat)),
      host(
        () => 300,
        () => 40,
      ),
    );
    expect(verdict.p95Drift?.direction).toBe('flat');
    expect(verdict.leak.verdict).toBe('no-leak');
    expect(verdict.leak.tfTensorsStart).toBe(40);
    expect(verdict.leak.tfTensorsEnd).toBe(40);
    expect(verdict.passed).toBe(true);
  });

  it('throughput falling 30 % is worse drift (reported; the pass rule is p95 and leaks)', () => {
    const verdict = judgeSoak(
      scenarioFacts('soak', ROWS, timeline(windows((i) => ({ p95Ms: 100, completed: Math.round(1000 - (300 * i) / (HOLD - 1)) })))),
      null,
    );
    expect(verdict.throughputDrift?.relativeOverRun).toBeCloseTo(-0.3, 2);
    expect(verdict.throughputDrift?.direction).toBe('worse');
  });

  it('tensors that keep growing are a leak and fail the soak', () => {
    const verdict = judgeSoak(
      scenarioFacts('soak', ROWS, timeline(flat)),
      host(
        () => 300,
        (i) => 40 + i,
      ),
    );
    expect(verdict.leak.verdict).toBe('leak');
    expect(verdict.leak.tfTensorsStart).toBe(40);
    expect(verdict.leak.tfTensorsEnd).toBe(175);
    expect(verdict.leak.tfBytesDrift?.direction).toBe('worse');
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('leak, RSS 300.0 MiB -> 300.0 MiB (TF.js tensors rose from 40 to 175 and never fell back');
  });

  it('tensors that come and go with batches (the floor stays) are no leak', () => {
    const verdict = judgeSoak(
      scenarioFacts('soak', ROWS, timeline(flat)),
      host(
        () => 300,
        (i) => (i % 5 === 0 ? 40 : 40 + (i % 7) * 10),
      ),
    );
    expect(verdict.leak.verdict).toBe('no-leak');
  });

  it('RSS growing 30 % and still rising in the last third is suspected; growth that levelled off is not', () => {
    const climbing = judgeLeak(
      host((i) => 300 + (90 * i) / 135),
      T0,
      T0 + 135_000,
    );
    expect(climbing.verdict).toBe('suspected');
    expect(climbing.rssDrift?.relativeOverRun).toBeCloseTo(0.3, 6);
    expect(climbing.reason).toBe('RSS +30 % over the run and still rising in its last third');
    const levelled = judgeLeak(
      host((i) => (i < 60 ? 300 + (90 * i) / 60 : 390)),
      T0,
      T0 + 135_000,
    );
    expect(levelled.rssDrift?.relativeOverRun).toBeGreaterThan(0.1);
    expect(levelled.verdict).toBe('no-leak');
  });

  it('a small memory still rising 30 % (under 32 MiB in all) is GC lag and own records, not a leak', () => {
    // 15 MiB -> 19.5 MiB: the shape of the 30-minute soak's harness heap (30.6 -> 35.1 MiB).
    const small = judgeLeak(
      host((i) => 15 + (4.5 * i) / 135),
      T0,
      T0 + 135_000,
    );
    expect(small.rssDrift?.relativeOverRun).toBeCloseTo(0.3, 6);
    expect(small.verdict).toBe('no-leak');
  });

  it('without host data the leak is unknown and p95 alone decides', () => {
    const verdict = judgeSoak(scenarioFacts('soak', ROWS, timeline(flat)), null);
    expect(verdict.leak.verdict).toBe('unknown');
    expect(verdict.leak.rssStartBytes).toBeNull();
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toContain('leak unknown (no host samples were recorded)');
    expect(judgeLeak(hostReport([hostSample(T0, 1, 1)]), T0, T0 + 1000).reason).toBe('1 host samples, 3 needed for a trend');
  });

  it('edge cases: empty timeline, one window, windows with nothing completed', () => {
    const empty = judgeSoak(scenarioFacts('soak', ROWS, []), null);
    expect(empty.p95Drift).toBeNull();
    expect(empty.passed).toBe(false);
    expect(empty.summary).toContain('p95 drift unknown (fewer than 2 windows)');
    const idle = judgeSoak(scenarioFacts('soak', ROWS, timeline(windows(() => ({ p95Ms: null, completed: 0 })))), null);
    expect(idle.p95Drift).toBeNull();
    expect(idle.throughputDrift?.slopePerHour).toBe(0);
    expect(idle.throughputDrift?.relativeOverRun).toBeNull();
  });

  it('a two-hour soak of 1 s windows (7,200) is fitted quickly and the same way every time', () => {
    const rows: StageRow[] = [['soak', 7_200_000, 200]];
    const hold = Array.from({ length: 7200 }, (_, i) => ({ p95Ms: 100 + ((i * 7919) % 11) + (15 * i) / 7199 }));
    const facts = { ...scenarioFacts('soak', [['ramp-up', 1000, 200], ...rows], timeline([{ p95Ms: 1 }, ...hold])) };
    const started = performance.now();
    const verdict = judgeSoak(facts, null);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(verdict.p95Drift?.points).toBe(7200);
    expect(verdict.p95Drift?.relativeOverRun).toBeCloseTo(0.15 / 1.05, 1);
    expect(verdict.p95Drift?.direction).toBe('worse');
    expect(judgeSoak(facts, null)).toEqual(verdict);
  });
});
