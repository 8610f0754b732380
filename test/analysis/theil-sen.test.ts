import { describe, expect, it } from 'vitest';
import { MAX_PAIRS, theilSen } from '../../src/analysis/theil-sen.js';
import { fitDrift } from '../../src/analysis/drift.js';

describe('theilSen', () => {
  it('fits a straight line exactly', () => {
    const fit = theilSen([0, 1, 2, 3, 4].map((x) => ({ x, y: 3 + 2 * x })));
    expect(fit).toEqual({ slope: 2, intercept: 3, points: 5 });
  });

  it('is not tilted by one outlier, where least squares would be', () => {
    const points = Array.from({ length: 11 }, (_, x) => ({ x, y: x === 10 ? 1000 : 5 }));
    expect(theilSen(points)?.slope).toBe(0);
    expect(theilSen(points)?.intercept).toBe(5);
  });

  it('gives no line for no points, one point or one distinct x', () => {
    expect(theilSen([])).toBeNull();
    expect(theilSen([{ x: 1, y: 1 }])).toBeNull();
    expect(
      theilSen([
        { x: 1, y: 1 },
        { x: 1, y: 9 },
      ]),
    ).toBeNull();
  });

  it('all-equal values fit a flat line', () => {
    expect(theilSen([0, 1, 2].map((x) => ({ x, y: 7 })))).toEqual({ slope: 0, intercept: 7, points: 3 });
  });

  it('samples pairs for thousands of points: the same answer every time, close to the true slope', () => {
    const points = Array.from({ length: 3000 }, (_, x) => ({ x, y: 0.5 * x + ((x * 7919) % 13) - 6 }));
    expect((3000 * 2999) / 2).toBeGreaterThan(MAX_PAIRS);
    const started = performance.now();
    const first = theilSen(points);
    expect(performance.now() - started).toBeLessThan(500);
    expect(theilSen(points)).toEqual(first);
    expect(first?.slope).toBeCloseTo(0.5, 2);
  });
});

describe('fitDrift', () => {
  const HOUR = 3_600_000;
  const T0 = 1_750_000_000_000;
  const series = (values: readonly number[], spanMs: number) =>
    values.map((value, i) => ({ tMs: T0 + (i * spanMs) / (values.length - 1), value }));

  it('a linear 20 % rise over two hours: +10 %/h, +20 % over the run, worse when higher is bad', () => {
    const fit = fitDrift(series([100, 105, 110, 115, 120], 2 * HOUR), 'higher');
    expect(fit?.slopePerHour).toBeCloseTo(10, 9);
    expect(fit?.relativePerHour).toBeCloseTo(0.1, 9);
    expect(fit?.relativeOverRun).toBeCloseTo(0.2, 9);
    expect(fit?.direction).toBe('worse');
    expect(fit?.points).toBe(5);
    expect(fitDrift(series([100, 105, 110, 115, 120], 2 * HOUR), 'lower')?.direction).toBe('better');
  });

  it('under 10 % over the run is flat; throughput falling 30 % is worse', () => {
    expect(fitDrift(series([100, 103, 106, 109], HOUR), 'higher')?.direction).toBe('flat');
    expect(fitDrift(series([100, 90, 80, 70], HOUR), 'lower')?.direction).toBe('worse');
  });

  it('edge cases: fewer than two samples, a fitted start of 0', () => {
    expect(fitDrift([], 'higher')).toBeNull();
    expect(fitDrift([{ tMs: T0, value: 5 }], 'higher')).toBeNull();
    const fromZero = fitDrift(series([0, 1, 2], HOUR), 'higher');
    expect(fromZero?.relativeOverRun).toBeNull();
    expect(fromZero?.direction).toBe('flat');
  });
});
