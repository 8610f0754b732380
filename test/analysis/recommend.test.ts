import { describe, expect, it } from 'vitest';
import { bestWithinBudget, recommend, type Candidate } from '../../src/analysis/recommend.js';
import { classifyCandidates } from './h100-fixture.js';

const loose = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 };

function candidate(batchSize: number, itemsPerSec: number, p95: number, p99 = p95, rate = 0): Candidate {
  return { batchSize, throughput: { itemsPerSec }, latencyMs: { e2e: { p95, p99 } }, errors: { rate } };
}

describe('recommend on the recorded H100 classify curve', () => {
  it('all within a 3 s budget: best is the highest throughput (1024), with the knee at 256 named', () => {
    const rec = recommend('classify', classifyCandidates(), loose);
    expect(rec.batchSize).toBe(1024);
    expect(rec.itemsPerSec).toBeCloseTo(32480.37, 1);
    expect(rec.p95Ms).toBeCloseTo(32.8, 1);
    expect(rec.reason).toBe(
      'batch 1024: 32.5k items/s at p95 32.8 ms, the largest batch size measured; ' +
        'gains per doubling fall below 5 % from batch 256 (30.7k items/s at p95 8.7 ms)',
    );
  });

  it('a 10 ms p95 budget cuts off the top: 256 is the largest within it', () => {
    const rec = recommend('classify', classifyCandidates(), { p95Ms: 10, p99Ms: 20, maxErrorRate: 0.01 });
    expect(rec.batchSize).toBe(256);
    expect(rec.reason).toBe('batch 256 is the largest within budget (30.7k items/s at p95 8.7 ms): 512 breaks p95 10 ms (16.6 ms)');
  });

  it('a 6 ms p95 budget: 128 (p95 5.4 ms, 28.0k items/s)', () => {
    const rec = recommend('classify', classifyCandidates(), { p95Ms: 6, p99Ms: 20, maxErrorRate: 0.01 });
    expect(rec.batchSize).toBe(128);
    expect(rec.reason).toBe('batch 128 is the largest within budget (28.0k items/s at p95 5.4 ms): 256 breaks p95 6 ms (8.7 ms)');
  });

  it('a budget below every p95: none, naming the best p95', () => {
    const rec = recommend('classify', classifyCandidates(), { p95Ms: 2, p99Ms: 5, maxErrorRate: 0.01 });
    expect(rec).toEqual({
      stage: 'classify',
      batchSize: null,
      itemsPerSec: null,
      p95Ms: null,
      reason: 'no batch size met the budget: best p95 was 4.1 ms at batch 2 (budget 2 ms)',
    });
  });
});

describe('recommend on synthetic steps', () => {
  it('ties on throughput go to the smaller batch size', () => {
    const steps = [candidate(16, 1000, 5), candidate(8, 1000, 4), candidate(32, 900, 6)];
    expect(bestWithinBudget(steps, loose)?.batchSize).toBe(8);
  });

  it('a larger batch within budget but slower is reported as a loss with its latency cost', () => {
    const rec = recommend('generate', [candidate(4, 2000, 400), candidate(8, 1800, 760)], loose);
    expect(rec.batchSize).toBe(4);
    expect(rec.reason).toBe('batch 4: 2.0k items/s at p95 400 ms; 8 loses 10 % for 1.9x the p95');
  });

  it('the next size breaks the budget but a larger one is within it', () => {
    const steps = [candidate(1, 100, 10), candidate(2, 150, 4000), candidate(4, 90, 20)];
    const rec = recommend('classify', steps, loose);
    expect(rec.batchSize).toBe(1);
    expect(rec.reason).toBe('batch 1: 100 items/s at p95 10 ms; 2 breaks p95 3 s (4 s) and gains 50 % for 400x the p95');
  });

  it('an error rate over budget is named with its numbers', () => {
    const steps = [candidate(1, 100, 10), candidate(2, 180, 12, 12, 0.05)];
    expect(recommend('classify', steps, loose).reason).toBe(
      'batch 1 is the largest within budget (100 items/s at p95 10 ms): 2 breaks the error rate 1 % (5 %)',
    );
  });

  it('none within budget because of errors, though latency was fine', () => {
    const rec = recommend('pipeline', [candidate(1, 100, 10, 10, 0.2)], loose);
    expect(rec.batchSize).toBeNull();
    expect(rec.reason).toBe('no batch size met the budget: best p95 was 10 ms at batch 1, but it breaks the error rate 1 % (20 %)');
  });

  it('no steps, or steps that measured nothing', () => {
    const empty: Candidate = { batchSize: 1, throughput: { itemsPerSec: 0 }, latencyMs: {}, errors: { rate: 0 } };
    expect(recommend('classify', [], loose).reason).toBe('no batch size met the budget: no step measured any items');
    expect(recommend('classify', [empty], loose).batchSize).toBeNull();
  });

  it('steps whose every item failed: the reason is the error rate, not "measured nothing"', () => {
    const failed = (batchSize: number): Candidate => ({ batchSize, throughput: { itemsPerSec: 0 }, latencyMs: {}, errors: { rate: 1 } });
    const rec = recommend('classify', [failed(4), failed(1)], loose);
    expect(rec.batchSize).toBeNull();
    expect(rec.reason).toBe('no batch size met the budget: no item succeeded (error rate 100 % at batch 1, 4; budget 1 %)');
  });

  it('seconds-scale latencies read in seconds', () => {
    const rec = recommend('generate', [candidate(1, 2, 4100, 4500), candidate(2, 3, 5200, 6000)], loose);
    expect(rec.reason).toBe('no batch size met the budget: best p95 was 4.1 s at batch 1 (budget 3 s)');
  });
});
