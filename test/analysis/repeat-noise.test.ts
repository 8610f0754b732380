import { describe, expect, it } from 'vitest';
import { envelope, repeatChangeInterval } from '../../src/analysis/repeat-noise.js';
import { studentTQuantile } from '../../src/analysis/student-t.js';

describe('repeatChangeInterval (run-to-run noise from --repeat)', () => {
  it('is null when neither side was repeated, or a merged value is not positive', () => {
    expect(repeatChangeInterval({ merged: 10, repeats: [] }, { merged: 12, repeats: [12] }, 'higher', 0.95)).toBeNull();
    expect(repeatChangeInterval({ merged: 0, repeats: [1, 2] }, { merged: 12, repeats: [11, 13] }, 'higher', 0.95)).toBeNull();
  });

  it('collapses to the observed change when every repeat agrees', () => {
    const interval = repeatChangeInterval({ merged: 40, repeats: [40, 40, 40] }, { merged: 50, repeats: [50, 50, 50] }, 'higher', 0.95);
    expect(interval?.low).toBeCloseTo(0.25, 12);
    expect(interval?.high).toBeCloseTo(0.25, 12);
  });

  it('matches a Welch t interval on ln values, centred on the merged ratio', () => {
    const b = [30, 33, 36];
    const c = [31, 35, 38];
    const logVar = (xs: number[]): number => {
      const logs = xs.map(Math.log);
      const mean = logs.reduce((a, v) => a + v, 0) / logs.length;
      return logs.reduce((a, v) => a + (v - mean) ** 2, 0) / (logs.length - 1);
    };
    const bTerm = logVar(b) / 3;
    const cTerm = logVar(c) / 3;
    const df = (bTerm + cTerm) ** 2 / (bTerm ** 2 / 2 + cTerm ** 2 / 2);
    const half = studentTQuantile(0.975, df) * Math.sqrt(bTerm + cTerm);
    const centre = Math.log(34 / 33);
    const interval = repeatChangeInterval({ merged: 33, repeats: b }, { merged: 34, repeats: c }, 'higher', 0.95);
    expect(interval?.low).toBeCloseTo(Math.expm1(centre - half), 12);
    expect(interval?.high).toBeCloseTo(Math.expm1(centre + half), 12);
    expect(interval!.low).toBeLessThan(0);
    expect(interval!.high).toBeGreaterThan(0);
  });

  it("a single run borrows the repeated side's spread, undivided, with its degrees of freedom", () => {
    const repeats = [100, 110, 90, 105];
    const single = repeatChangeInterval({ merged: 100, repeats }, { merged: 100, repeats: [100] }, 'higher', 0.95)!;
    const both = repeatChangeInterval({ merged: 100, repeats }, { merged: 100, repeats }, 'higher', 0.95)!;
    // n = 1 on one side: se^2 = s^2 / 4 + s^2 / 1, wider than s^2 / 4 + s^2 / 4.
    expect(single.high - single.low).toBeGreaterThan(both.high - both.low);
  });

  it('throughput is worse when lower: a drop is a positive change', () => {
    const interval = repeatChangeInterval({ merged: 100, repeats: [100, 100] }, { merged: 80, repeats: [80, 80] }, 'lower', 0.95);
    expect(interval?.low).toBeCloseTo(0.2, 12);
    expect(interval?.high).toBeCloseTo(0.2, 12);
  });

  it('ignores repeats that measured nothing', () => {
    const interval = repeatChangeInterval({ merged: 10, repeats: [null, 10, 10] }, { merged: 10, repeats: [10, null] }, 'higher', 0.95);
    expect(interval).toEqual({ low: 0, high: 0 });
  });
});

describe('envelope', () => {
  it('holds both intervals, or the first alone', () => {
    expect(envelope({ low: -0.1, high: 0.2 }, { low: 0.05, high: 0.4 })).toEqual({ low: -0.1, high: 0.4 });
    expect(envelope({ low: -0.1, high: 0.2 }, null)).toEqual({ low: -0.1, high: 0.2 });
  });
});
