import { describe, expect, it } from 'vitest';
import { analyzeScaling, doublingGains, findKnee } from '../../src/analysis/scaling.js';
import { anchor, generateThroughput } from './h100-fixture.js';

const classifyPoints = anchor.classify.map((row) => ({ batchSize: row.batch, itemsPerSec: row.items_per_s }));

describe('analyzeScaling on synthetic curves', () => {
  it('perfect linear scaling: speedup = b, efficiency 1.0 everywhere, no knee', () => {
    const points = [1, 2, 4, 8, 16].map((b) => ({ batchSize: b, itemsPerSec: 100 * b }));
    const result = analyzeScaling(points);
    expect(result.baseBatchSize).toBe(1);
    expect(result.points.map((p) => p.speedup)).toEqual([1, 2, 4, 8, 16]);
    for (const point of result.points) expect(point.efficiency).toBeCloseTo(1, 12);
    expect(result.points.map((p) => p.gainPerDoubling)).toEqual([1, 1, 1, 1, null]);
    expect(result.knee).toBeNull();
  });

  it('flat throughput: efficiency halves per doubling, knee at the first point', () => {
    const points = [4, 8, 16, 32].map((b) => ({ batchSize: b, itemsPerSec: 500 }));
    const result = analyzeScaling(points);
    expect(result.baseBatchSize).toBe(4);
    expect(result.points.map((p) => p.efficiency)).toEqual([1, 0.5, 0.25, 0.125]);
    expect(result.knee).toBe(4);
  });

  it('base is the smallest measured batch size with throughput, whatever the order', () => {
    const result = analyzeScaling([
      { batchSize: 16, itemsPerSec: 1200 },
      { batchSize: 2, itemsPerSec: 0 }, // measured nothing: not a base, no speedup
      { batchSize: 4, itemsPerSec: 400 },
      { batchSize: 8, itemsPerSec: 700 },
    ]);
    expect(result.baseBatchSize).toBe(4);
    expect(result.points.map((p) => p.speedup)).toEqual([3, null, 1, 1.75]);
    expect(result.points[0]?.efficiency).toBeCloseTo(0.75, 12);
    expect(result.points[1]?.efficiency).toBeNull();
  });

  it('no points, or none with throughput: no base, no knee', () => {
    expect(analyzeScaling([])).toEqual({ baseBatchSize: null, points: [], knee: null });
    const idle = analyzeScaling([{ batchSize: 1, itemsPerSec: 0 }]);
    expect(idle.baseBatchSize).toBeNull();
    expect(idle.points[0]?.speedup).toBeNull();
  });

  it('one point: speedup and efficiency 1, no doubling, no knee', () => {
    const result = analyzeScaling([{ batchSize: 32, itemsPerSec: 123 }]);
    expect(result.points[0]).toMatchObject({ speedup: 1, efficiency: 1, gainPerDoubling: null });
    expect(result.knee).toBeNull();
  });

  it('the knee is where gains stay below the threshold, not the first dip', () => {
    // 1->2 +2 % (a dip), 2->4 +80 %, 4->8 +3 %, 8->16 +1 %
    const points = [
      { batchSize: 1, itemsPerSec: 100 },
      { batchSize: 2, itemsPerSec: 102 },
      { batchSize: 4, itemsPerSec: 183.6 },
      { batchSize: 8, itemsPerSec: 189.108 },
      { batchSize: 16, itemsPerSec: 191 },
    ];
    expect(findKnee(points)).toBe(4);
    expect(findKnee(points, 0.01)).toBeNull(); // 8->16 gains 1.0 %: not below 1 %
    expect(findKnee(points, 0.9)).toBe(1);
  });

  it('doubling gains use only pairs where 2b was measured', () => {
    const gains = doublingGains([
      { batchSize: 1, itemsPerSec: 10 },
      { batchSize: 3, itemsPerSec: 25 },
      { batchSize: 6, itemsPerSec: 40 },
    ]);
    expect(gains).toHaveLength(1);
    expect(gains[0]?.batchSize).toBe(3);
    expect(gains[0]?.gain).toBeCloseTo(0.6, 12);
  });
});

describe('analyzeScaling on the recorded H100 curve', () => {
  const result = analyzeScaling(classifyPoints);
  const at = (b: number) => result.points.find((p) => p.batchSize === b);

  it('speedup and efficiency match the data by hand', () => {
    expect(result.baseBatchSize).toBe(1);
    // 28025.78 / 252.79 = 110.86; / 128 = 0.866
    expect(at(128)?.speedup).toBeCloseTo(110.86, 1);
    expect(at(128)?.efficiency).toBeCloseTo(0.866, 3);
    // 2051.38 / 252.79 = 8.115: slightly superlinear at 8
    expect(at(8)?.efficiency).toBeCloseTo(1.014, 3);
    // 32480.37 / 252.79 / 1024 = 0.125
    expect(at(1024)?.efficiency).toBeCloseTo(0.1255, 3);
  });

  it('gains per doubling: +78 % at 64->128, +9 % at 128->256, +4.5 % at 256->512', () => {
    expect(at(64)?.gainPerDoubling).toBeCloseTo(0.777, 3);
    expect(at(128)?.gainPerDoubling).toBeCloseTo(0.0944, 3);
    expect(at(256)?.gainPerDoubling).toBeCloseTo(0.0448, 3);
    expect(at(512)?.gainPerDoubling).toBeCloseTo(0.0136, 3);
    expect(at(1024)?.gainPerDoubling).toBeNull();
  });

  it('knee at 256 for 5 %; at 128 for 10 %', () => {
    expect(result.knee).toBe(256);
    expect(findKnee(classifyPoints, 0.1)).toBe(128);
  });

  it('generation (1, 4, 16, 64, 128): only 64->128 is a doubling and it still gains, so no knee', () => {
    const generate = analyzeScaling(generateThroughput());
    expect(generate.knee).toBeNull();
    expect(generate.points.find((p) => p.batchSize === 64)?.gainPerDoubling).toBeCloseTo(1.442, 3);
    expect(generate.points.find((p) => p.batchSize === 128)?.speedup).toBeCloseTo(129.8, 1);
  });
});
