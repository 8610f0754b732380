import { describe, expect, it } from 'vitest';
import { LoadProfile } from '../../src/load/profile.js';

// Ramp 0 -> 100 over 10 s, hold 100 for 20 s, spike to 500 in 0 s, hold 500 for 5 s, back to 0 over 5 s.
const spike = new LoadProfile([
  { name: 'ramp-up', durationMs: 10_000, target: 100 },
  { name: 'hold', durationMs: 20_000, target: 100 },
  { name: 'jump', durationMs: 0, target: 500 },
  { name: 'spike', durationMs: 5_000, target: 500 },
  { name: 'ramp-down', durationMs: 5_000, target: 0 },
]);

describe('LoadProfile', () => {
  it('adds up the stage durations and knows where each stage starts and ends', () => {
    expect(spike.totalMs).toBe(40_000);
    expect(spike.stageStartMs(1)).toBe(10_000);
    expect(spike.stageEndMs(1)).toBe(30_000);
    expect(spike.stageStartMs(3)).toBe(30_000);
    expect(spike.fromLevel(0)).toBe(0);
    expect(spike.fromLevel(4)).toBe(500);
    expect([0, 1, 2, 3, 4].map((i) => spike.isHold(i))).toEqual([false, true, false, true, false]);
  });

  it('ramps linearly from the previous target (0 before the first) and holds equal targets', () => {
    expect(spike.levelAt(0)).toBe(0);
    expect(spike.levelAt(2_500)).toBeCloseTo(25, 9);
    expect(spike.levelAt(9_999)).toBeCloseTo(99.99, 6);
    expect(spike.levelAt(10_000)).toBe(100);
    expect(spike.levelAt(29_999)).toBe(100);
    // A zero-length stage is a jump: the spike's hold starts at its level.
    expect(spike.levelAt(30_000)).toBe(500);
    expect(spike.levelAt(37_500)).toBeCloseTo(250, 9);
  });

  it('asks for nothing before the start and once the profile is over', () => {
    expect(spike.levelAt(-1)).toBe(0);
    expect(spike.levelAt(40_000)).toBe(0);
    expect(spike.levelAt(1e9)).toBe(0);
    expect(spike.levelAt(Number.NaN)).toBe(0);
  });

  it('finds the stage at an offset: boundaries belong to the stage they start, zero-length stages to none, and it clamps', () => {
    expect(spike.stageIndexAt(0)).toBe(0);
    expect(spike.stageIndexAt(9_999.9)).toBe(0);
    expect(spike.stageIndexAt(10_000)).toBe(1);
    expect(spike.stageIndexAt(30_000)).toBe(3);
    expect(spike.stageIndexAt(39_999)).toBe(4);
    expect(spike.stageIndexAt(-5)).toBe(0);
    expect(spike.stageIndexAt(40_000)).toBe(4);
    expect(spike.stageIndexAt(1e12)).toBe(4);
  });

  it('handles one stage, no stages, and rejects bad stages', () => {
    const hold = new LoadProfile([{ name: 'hold', durationMs: 1000, target: 7 }]);
    expect(hold.levelAt(500)).toBe(3.5);
    expect(hold.isHold(0)).toBe(false);
    const empty = new LoadProfile([]);
    expect(empty.totalMs).toBe(0);
    expect(empty.levelAt(0)).toBe(0);
    expect(empty.stageIndexAt(0)).toBe(-1);
    expect(() => new LoadProfile([{ name: 'x', durationMs: -1, target: 1 }])).toThrow(/durationMs/);
    expect(() => new LoadProfile([{ name: 'x', durationMs: 1, target: Number.NaN }])).toThrow(/target/);
    expect(() => spike.stageStartMs(5)).toThrow(RangeError);
  });
});
