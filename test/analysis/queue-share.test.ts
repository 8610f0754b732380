import { describe, expect, it } from 'vitest';
import { queueShare } from '../../src/analysis/queue-share.js';

describe('queueShare', () => {
  it('mean and median shares of e2e spent queued', () => {
    const share = queueShare({ latencyMs: { e2e: { mean: 10, p50: 8 }, queue: { mean: 4, p50: 2 } } });
    expect(share).toEqual({ ofMean: 0.4, ofP50: 0.25 });
  });

  it('no queueing: 0', () => {
    expect(queueShare({ latencyMs: { e2e: { mean: 5, p50: 5 }, queue: { mean: 0, p50: 0 } } })).toEqual({ ofMean: 0, ofP50: 0 });
  });

  it('null without a queue phase (static batching, HTTP), without e2e, or with zero e2e', () => {
    expect(queueShare({ latencyMs: { e2e: { mean: 5, p50: 5 } } })).toBeNull();
    expect(queueShare({ latencyMs: { queue: { mean: 1, p50: 1 } } })).toBeNull();
    expect(queueShare({ latencyMs: {} })).toBeNull();
    expect(queueShare({ latencyMs: { e2e: { mean: 0, p50: 0 }, queue: { mean: 0, p50: 0 } } })).toBeNull();
  });
});
