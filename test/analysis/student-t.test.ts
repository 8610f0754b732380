import { describe, expect, it } from 'vitest';
import { logGamma, regularizedBeta, studentTCdf, studentTQuantile } from '../../src/analysis/student-t.js';

describe('Student t', () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [10, 2.2281],
    [30, 2.0423],
  ])('the two-sided 95 %% quantile for df %i is %f (tables)', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 3);
  });

  it('tends to the normal quantile for large df, and is symmetric', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 3);
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 9);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });

  it('the CDF inverts the quantile, also for fractional (Welch) df', () => {
    for (const df of [1.5, 3.7, 12.2]) {
      for (const p of [0.01, 0.2, 0.9, 0.995]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
    }
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
  });

  it('rests on a correct incomplete beta and log gamma', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
    // I_x(1, 1) = x; I_x(a, b) = 1 - I_{1-x}(b, a).
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.2, 2.5, 4)).toBeCloseTo(1 - regularizedBeta(0.8, 4, 2.5), 12);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('refuses what has no answer', () => {
    expect(() => studentTQuantile(0, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});
