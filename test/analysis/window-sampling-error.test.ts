import { describe, expect, it } from 'vitest';
import { judgeStability } from '../../src/analysis/stability.js';
import { windowSamplingErrors } from '../../src/analysis/window-sampling-error.js';
import type { WindowStat } from '../../src/core/measurement.js';
import { createHistogram, encodeHistogram, percentileMs, recordUs } from '../../src/metrics/histogram.js';

/** A 1 s window whose calls took these times (ms), one item per call unless `itemsPerCall`. */
function window(index: number, latenciesMs: readonly number[], itemsPerCall = 1): WindowStat {
  const histogram = createHistogram();
  for (const ms of latenciesMs) for (let k = 0; k < itemsPerCall; k++) recordUs(histogram, ms * 1000);
  return {
    startMs: 1000 * index,
    endMs: 1000 * (index + 1),
    completed: latenciesMs.length * itemsPerCall,
    errors: 0,
    e2eP95Ms: percentileMs(histogram, 95),
    calls: latenciesMs.length,
    e2eHistogram: encodeHistogram(histogram),
  };
}

/** n calls spread evenly over 10..10 * (1 + width) ms, scaled by `scale`. */
function calls(n: number, width: number, scale = 1): number[] {
  return Array.from({ length: n }, (_, i) => scale * 10 * (1 + (width * i) / Math.max(1, n - 1)));
}

describe('windowSamplingErrors', () => {
  it('null when a window carries no histogram or call count (older reports): nothing tells its noise', () => {
    const bare: WindowStat = { startMs: 0, endMs: 1000, completed: 5, errors: 0, e2eP95Ms: 10 };
    expect(windowSamplingErrors([window(0, calls(20, 0.5)), bare])).toBeNull();
    expect(windowSamplingErrors([{ ...window(0, calls(20, 0.5)), calls: 0 }])).toBeNull();
    expect(windowSamplingErrors([])).toBeNull();
  });

  it('all calls equal: no sampling error for the p95, and none for the rate (no dispersion)', () => {
    const errors = windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(20, 0))));
    expect(errors).toEqual({ p95: 0, throughput: 0 });
  });

  it('more calls per window, less sampling error; the same windows give the same figures (seeded)', () => {
    const small = windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(20, 1))))!;
    const large = windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(200, 1))))!;
    expect(large.p95).toBeLessThan(small.p95);
    expect(large.throughput).toBeLessThan(small.throughput);
    expect(windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(20, 1))))).toEqual(small);
  });

  it('counts calls, not items: 20 calls of 64 items are as noisy as 20 calls of one', () => {
    const single = windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(20, 1))))!;
    const batched = windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(20, 1), 64)))!;
    expect(batched.p95).toBeCloseTo(single.p95, 2);
    expect(batched.throughput).toBeCloseTo(single.throughput, 2);
  });

  it('a shift between windows is not taken for noise: windows 30 % apart give the sampling error of steady ones', () => {
    const steady = windowSamplingErrors([0, 1, 2].map((i) => window(i, calls(40, 0.5))))!;
    const shifted = windowSamplingErrors([window(0, calls(40, 0.5)), window(1, calls(40, 0.5)), window(2, calls(40, 0.5, 1.3))])!;
    expect(shifted.p95).toBeCloseTo(steady.p95, 2); // to HDR's 3 digits; pooled unscaled, it would be ~0.3
  });

  it('Poisson arrivals count at least as a Poisson count: a wider rate error than a closed loop of steady calls', () => {
    const windows = [0, 1, 2].map((i) => window(i, calls(50, 0.2)));
    const closed = windowSamplingErrors(windows)!;
    const poisson = windowSamplingErrors(windows, { arrivalDispersion: 1 })!;
    expect(poisson.throughput).toBeGreaterThan(2 * closed.throughput);
    expect(poisson.p95).toBe(closed.p95);
  });
});

describe('judgeStability with the windows sampling error', () => {
  it('a p95 spread within tolerance + sampling error is stable, and the reason says both', () => {
    // 20 calls each, 10..20 ms: the p95 (19th call) is within a few percent; a 15 % spread from the
    // top call moving is within 10 % + what 20 calls spread by.
    const verdict = judgeStability([window(0, calls(20, 1)), window(1, calls(20, 1.3)), window(2, calls(20, 1))]);
    expect(verdict.kind).toBe('stable');
    expect(verdict.samplingError?.p95).toBeGreaterThan(0);
    expect(verdict.p95Spread).toBeGreaterThan(0.1);
    expect(verdict.reason).toMatch(
      /^last 3 windows agree: p95 spread \d+\.\d % within 10\.0 % \+ sampling error \d+\.\d %, throughput spread 0\.0 % within 10\.0 % \+ sampling error \d+\.\d %$/,
    );
  });

  it('a spread beyond tolerance + sampling error is unstable, naming the spread and the error', () => {
    const verdict = judgeStability([window(0, calls(60, 0.2)), window(1, calls(60, 0.2)), window(2, calls(60, 0.2, 1.5))]);
    expect(verdict.kind).toBe('unstable');
    expect(verdict.p95Spread).toBeCloseTo(0.5, 2);
    expect(verdict.reason).toMatch(/^last 3 windows: p95 spread 50\.\d % over 10\.0 % \+ sampling error \d+\.\d %$/);
  });
});
