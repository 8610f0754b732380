import { describe, expect, it } from 'vitest';
import { ExpectedSends, profileArrivals } from '../../src/load/profile-arrivals.js';
import { LoadProfile } from '../../src/load/profile.js';
import type { ArrivalSchedule } from '../../src/load/arrivals.js';

function drain(schedule: ArrivalSchedule, limit = 1_000_000): number[] {
  const out: number[] = [];
  for (let i = 0; i < limit; i++) {
    const at = schedule.next();
    if (!Number.isFinite(at)) return out;
    out.push(at);
  }
  throw new Error('schedule never ended');
}

function countIn(offsets: readonly number[], fromMs: number, toMs: number): number {
  return offsets.filter((t) => t >= fromMs && t < toMs).length;
}

// 0 -> 100 req/s over 10 s (500 sends), hold 100 for 10 s (1000), down to 0 over 10 s (500).
const rampHoldDown = new LoadProfile([
  { name: 'ramp-up', durationMs: 10_000, target: 100 },
  { name: 'hold', durationMs: 10_000, target: 100 },
  { name: 'ramp-down', durationMs: 10_000, target: 0 },
]);

describe('ExpectedSends', () => {
  it('integrates the piecewise-linear rate and inverts it', () => {
    const curve = new ExpectedSends(rampHoldDown);
    expect(curve.total).toBeCloseTo(2000, 9);
    expect(curve.at(5_000)).toBeCloseTo(125, 9); // 0.5 * 50 req/s * 5 s
    expect(curve.at(15_000)).toBeCloseTo(1000, 9);
    expect(curve.offsetWhere(125)).toBeCloseTo(5_000, 6);
    expect(curve.offsetWhere(1000)).toBeCloseTo(15_000, 6);
    expect(curve.offsetWhere(1875)).toBeCloseTo(25_000, 6);
    expect(curve.offsetWhere(2000.001)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('profileArrivals', () => {
  it('constant: one send per whole expected send, following the ramp (counts per interval)', () => {
    const offsets = drain(profileArrivals(rampHoldDown, 'constant', { seed: 1 }));
    expect(offsets.length).toBe(2000);
    // Ramp: sends in [a, b) = N(b) - N(a), within one.
    expect(Math.abs(countIn(offsets, 0, 5_000) - 125)).toBeLessThanOrEqual(1);
    expect(Math.abs(countIn(offsets, 5_000, 10_000) - 375)).toBeLessThanOrEqual(1);
    // Hold: 10 ms apart.
    const hold = offsets.filter((t) => t >= 10_050 && t < 19_950);
    for (let i = 1; i < hold.length; i++) expect(hold[i]! - hold[i - 1]!).toBeCloseTo(10, 6);
    expect(Math.abs(countIn(offsets, 20_000, 25_000) - 375)).toBeLessThanOrEqual(1);
    expect(Math.abs(countIn(offsets, 25_000, 30_000) - 125)).toBeLessThanOrEqual(1);
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThanOrEqual(offsets[i - 1]!);
    expect(offsets[0]!).toBeGreaterThan(0);
    expect(offsets.at(-1)!).toBeLessThanOrEqual(30_000);
  });

  it('poisson: seeded, counts per interval within Poisson noise of the integral, same seed same schedule', () => {
    const offsets = drain(profileArrivals(rampHoldDown, 'poisson', { seed: 42 }));
    const again = drain(profileArrivals(rampHoldDown, 'poisson', { seed: 42 }));
    const other = drain(profileArrivals(rampHoldDown, 'poisson', { seed: 43 }));
    expect(again).toEqual(offsets);
    expect(other).not.toEqual(offsets);
    // Mean m, sd sqrt(m): allow 4 sd.
    for (const [from, to, mean] of [
      [0, 5_000, 125],
      [5_000, 10_000, 375],
      [10_000, 20_000, 1000],
      [20_000, 30_000, 500],
    ] as const) {
      expect(Math.abs(countIn(offsets, from, to) - mean)).toBeLessThan(4 * Math.sqrt(mean));
    }
    // Exponential gaps in the hold: coefficient of variation near 1 (constant would be 0).
    const hold = offsets.filter((t) => t >= 10_000 && t < 20_000);
    const gaps = hold.slice(1).map((t, i) => t - hold[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.8);
    expect(sd / mean).toBeLessThan(1.2);
  });

  it('starts at a later offset (resume): offsets count from there and follow the rest of the profile', () => {
    const offsets = drain(profileArrivals(rampHoldDown, 'constant', { startOffsetMs: 15_000, seed: 1 }));
    expect(offsets.length).toBe(1000); // 500 left in the hold, 500 in the ramp down
    expect(offsets[0]!).toBeCloseTo(10, 6);
    expect(Math.abs(countIn(offsets, 0, 5_000) - 500)).toBeLessThanOrEqual(1);
    expect(offsets.at(-1)!).toBeLessThanOrEqual(15_000);
  });

  it('sends nothing at level 0 (no hang, no division by zero) and resumes after it', () => {
    const gap = new LoadProfile([
      { name: 'off', durationMs: 5_000, target: 0 },
      { name: 'jump', durationMs: 0, target: 10 },
      { name: 'on', durationMs: 1_000, target: 10 },
      { name: 'drop', durationMs: 0, target: 0 },
      { name: 'off again', durationMs: 5_000, target: 0 },
    ]);
    for (const process of ['constant', 'poisson'] as const) {
      const offsets = drain(profileArrivals(gap, process, { seed: 7 }));
      expect(offsets.every((t) => t >= 5_000 && t <= 6_000)).toBe(true);
      if (process === 'constant') expect(offsets.length).toBe(10);
    }
    const silent = new LoadProfile([{ name: 'off', durationMs: 1_000, target: 0 }]);
    expect(profileArrivals(silent, 'constant', { seed: 1 }).next()).toBe(Number.POSITIVE_INFINITY);
    expect(profileArrivals(new LoadProfile([]), 'poisson', { seed: 1 }).next()).toBe(Number.POSITIVE_INFINITY);
  });
});
