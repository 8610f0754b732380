import { describe, expect, it } from 'vitest';
import { paretoSet, type ParetoSubject } from '../../src/analysis/pareto.js';
import { classifyCandidates } from './h100-fixture.js';

function step(batchSize: number, itemsPerSec: number, p95?: number): ParetoSubject {
  return { batchSize, throughput: { itemsPerSec }, latencyMs: p95 === undefined ? {} : { e2e: { p95 } } };
}
const sizes = (steps: readonly ParetoSubject[]) => steps.map((s) => s.batchSize);

describe('paretoSet', () => {
  it('drops steps beaten on both axes, keeps the trade-offs, orders by batch size', () => {
    const steps = [step(8, 300, 9), step(1, 100, 2), step(2, 90, 3), step(4, 250, 5), step(16, 280, 20)];
    // 2 is beaten by 1 (lower p95, more items/s); 16 by 8.
    expect(sizes(paretoSet(steps))).toEqual([1, 4, 8]);
  });

  it('equal on one axis and better on the other dominates', () => {
    expect(sizes(paretoSet([step(1, 100, 5), step(2, 120, 5)]))).toEqual([2]);
    expect(sizes(paretoSet([step(1, 100, 5), step(2, 100, 4)]))).toEqual([2]);
  });

  it('exact ties on both axes keep both', () => {
    expect(sizes(paretoSet([step(4, 100, 5), step(2, 100, 5)]))).toEqual([2, 4]);
  });

  it('empty, one point, all equal, and steps that measured nothing', () => {
    expect(paretoSet([])).toEqual([]);
    expect(sizes(paretoSet([step(1, 100, 5)]))).toEqual([1]);
    expect(sizes(paretoSet([step(1, 100, 5), step(2, 100, 5), step(4, 100, 5)]))).toEqual([1, 2, 4]);
    expect(sizes(paretoSet([step(1, 100), step(2, 0, 3), step(4, 50, 9)]))).toEqual([4]);
  });

  it('throughput falling as latency rises: only the first survives', () => {
    expect(sizes(paretoSet([step(1, 300, 1), step(2, 200, 2), step(4, 100, 3)]))).toEqual([1]);
  });
});

describe('paretoSet on the recorded H100 classify curve', () => {
  it('1, 4 and 16 are beaten (by 2, 8 and 32: lower p95 and more items/s); the rest trade off', () => {
    expect(sizes(paretoSet(classifyCandidates()))).toEqual([2, 8, 32, 64, 128, 256, 512, 1024]);
  });
});
