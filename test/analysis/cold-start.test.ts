import { describe, expect, it } from 'vitest';
import { coldStartFactor, isSlowColdStart } from '../../src/analysis/cold-start.js';
import type { LatencySummary } from '../../src/core/measurement.js';

const inference = (p50: number): LatencySummary => ({ count: 10, mean: p50, p50, p90: p50, p95: p50, p99: p50, max: p50, min: p50 });

describe('cold start against the step p50', () => {
  it('is the first call over the p50 model time, flagged only above 10x', () => {
    expect(coldStartFactor({ coldStartMs: 300, latencyMs: { inference: inference(30) } })).toBe(10);
    expect(isSlowColdStart({ coldStartMs: 300, latencyMs: { inference: inference(30) } })).toBe(false);
    expect(isSlowColdStart({ coldStartMs: 301, latencyMs: { inference: inference(30) } })).toBe(true);
    expect(isSlowColdStart({ coldStartMs: 20, latencyMs: { inference: inference(30) } })).toBe(false);
  });

  it('is unknown without a cold start (HTTP, scenarios, older reports) or without a p50', () => {
    expect(coldStartFactor({ coldStartMs: null, latencyMs: { inference: inference(30) } })).toBeNull();
    expect(coldStartFactor({ latencyMs: { inference: inference(30) } })).toBeNull();
    expect(coldStartFactor({ coldStartMs: 300, latencyMs: {} })).toBeNull();
    expect(coldStartFactor({ coldStartMs: 300, latencyMs: { inference: inference(0) } })).toBeNull();
    expect(isSlowColdStart({ coldStartMs: 300, latencyMs: {} })).toBe(false);
  });
});
