import { describe, expect, it } from 'vitest';
import { mulberry32, shuffled } from '../src/random.js';

describe('mulberry32', () => {
  it('is deterministic per seed, in [0, 1), and differs between seeds', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const c = mulberry32(124);
    const seqA = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(seqA);
    expect(Array.from({ length: 1000 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    // Roughly uniform: the mean of 1000 draws is near 0.5.
    expect(seqA.reduce((s, x) => s + x, 0) / seqA.length).toBeGreaterThan(0.45);
    expect(seqA.reduce((s, x) => s + x, 0) / seqA.length).toBeLessThan(0.55);
  });
});

describe('shuffled', () => {
  it('returns a permutation and leaves the input alone', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const out = shuffled(items, mulberry32(5));
    expect(out).not.toEqual(items);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
    expect(items[0]).toBe(0);
  });

  it('handles empty and single-item lists', () => {
    expect(shuffled([], mulberry32(1))).toEqual([]);
    expect(shuffled(['x'], mulberry32(1))).toEqual(['x']);
  });
});
