import { describe, expect, it } from 'vitest';
import { kneedle, kneedleDifferences } from '../../src/analysis/kneedle.js';
import { findKnee } from '../../src/analysis/scaling.js';
import { anchor } from './h100-fixture.js';

const at = (pairs: readonly (readonly [number, number])[]) => pairs.map(([batchSize, itemsPerSec]) => ({ batchSize, itemsPerSec }));

describe('kneedle on synthetic curves', () => {
  it('a saturating curve bends where it reaches its plateau', () => {
    // log2 x: 0..4; y rises fast to b=4, then flat: difference peaks at b=4 (0.98 - 0.5).
    const points = at([
      [1, 100],
      [2, 500],
      [4, 980],
      [8, 990],
      [16, 1000],
    ]);
    expect(kneedle(points)).toBe(4);
    const diffs = kneedleDifferences(points);
    expect(diffs.map((d) => d.batchSize)).toEqual([1, 2, 4, 8, 16]);
    expect(diffs[0]?.difference).toBeCloseTo(0, 12);
    expect(diffs[4]?.difference).toBeCloseTo(0, 12);
    expect(diffs[2]?.difference).toBeCloseTo((980 - 100) / 900 - 0.5, 12);
  });

  it('order and repeated sizes do not matter; sizes without throughput are ignored', () => {
    const points = at([
      [16, 1000],
      [4, 980],
      [1, 100],
      [8, 990],
      [2, 500],
      [4, 10],
      [32, 0],
    ]);
    expect(kneedle(points)).toBe(4);
  });

  it('linear on the log2 axis (throughput + constant per doubling): no bend, no knee', () => {
    expect(
      kneedle(
        at([
          [1, 100],
          [2, 200],
          [4, 300],
          [8, 400],
        ]),
      ),
    ).toBeNull();
  });

  it('convex (perfect linear scaling looks convex on a log2 axis): no knee', () => {
    expect(
      kneedle(
        at([
          [1, 100],
          [2, 200],
          [4, 400],
          [8, 800],
          [16, 1600],
        ]),
      ),
    ).toBeNull();
  });

  it('empty, one point, two points, all equal, decreasing: null', () => {
    expect(kneedle([])).toBeNull();
    expect(kneedle(at([[8, 100]]))).toBeNull();
    expect(
      kneedle(
        at([
          [1, 100],
          [2, 180],
        ]),
      ),
    ).toBeNull();
    expect(
      kneedle(
        at([
          [1, 100],
          [2, 100],
          [4, 100],
        ]),
      ),
    ).toBeNull();
    expect(
      kneedle(
        at([
          [1, 300],
          [2, 200],
          [4, 100],
        ]),
      ),
    ).toBeNull();
    expect(
      kneedleDifferences(
        at([
          [1, 100],
          [2, 100],
          [4, 100],
        ]),
      ),
    ).toEqual([]);
  });

  it('rises then falls back below the start: decreasing overall, null', () => {
    expect(
      kneedle(
        at([
          [1, 300],
          [2, 500],
          [4, 200],
        ]),
      ),
    ).toBeNull();
  });
});

describe('kneedle on the recorded H100 classify curve', () => {
  const points = anchor.classify.map((row) => ({ batchSize: row.batch, itemsPerSec: row.items_per_s }));

  it('bends at 128 (28.0k items/s, 86 % of the peak), one doubling before the 5 % rule knee at 256', () => {
    expect(kneedle(points)).toBe(128);
    expect(findKnee(points)).toBe(256);
    const diff128 = kneedleDifferences(points).find((d) => d.batchSize === 128)?.difference;
    // (28025.78 - 252.79) / (32480.37 - 252.79) - 7/10 = 0.1618
    expect(diff128).toBeCloseTo(0.1618, 3);
  });
});
