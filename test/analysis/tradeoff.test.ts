import { describe, expect, it } from 'vitest';
import { stageTradeoff, type TradeoffStep } from '../../src/analysis/tradeoff.js';
import { createHistogram, encodeHistogram, recordUs, summarize } from '../../src/metrics/histogram.js';
import { anchor } from './h100-fixture.js';

const defaultBudget = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 };

/** The anchor rows as complete classify steps. It records no mean: p50 stands in (only queue share reads it, and there is no queue phase). */
function anchorSteps(): TradeoffStep[] {
  return anchor.classify.map((row) => {
    // The anchor records n (timed calls) per row; h100-fixture.ts's row type leaves it out.
    const { n } = row as typeof row & { readonly n: number };
    const completed = n * row.batch;
    return {
      stage: 'classify',
      complete: true,
      batchSize: row.batch,
      // Each timed call ran `batch` items: n independent latencies.
      meanBatchSize: row.batch,
      throughput: { itemsPerSec: row.items_per_s },
      errors: { rate: 0 },
      latencyMs: { e2e: { count: n, mean: row.p50_ms, p50: row.p50_ms, p95: row.p95_ms, p99: row.p99_ms } },
      completed,
      measuredMs: (completed / row.items_per_s) * 1000,
      histograms: {},
    };
  });
}

describe('stageTradeoff on the recorded H100 classify curve', () => {
  const result = stageTradeoff('classify', anchorSteps(), defaultBudget);

  it('knee 256 by the 5 % rule, Kneedle 128, best 1024 under the default budget', () => {
    expect(result.knee).toBe(256);
    expect(result.kneeGain).toBe(0.05);
    expect(result.kneedle).toBe(128);
    expect(result.recommendation.batchSize).toBe(1024);
    expect(result.pareto).toEqual([2, 8, 32, 64, 128, 256, 512, 1024]);
  });

  it('points carry scaling, p95 and budget per batch size', () => {
    expect(result.points.map((p) => p.batchSize)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    const at128 = result.points.find((p) => p.batchSize === 128);
    expect(at128?.speedup).toBeCloseTo(110.86, 1);
    expect(at128?.gainPerDoubling).toBeCloseTo(0.0944, 3);
    expect(at128?.p95Ms).toBeCloseTo(5.36, 2);
    expect(at128).toMatchObject({
      withinBudget: true,
      pareto: true,
      p95Supported: true,
      goodputPerSec: null,
      queueShare: null,
      p95CiMs: null,
    });
    expect(result.points.find((p) => p.batchSize === 4)?.pareto).toBe(false);
    // 1024 was timed 64 times: fewer than the 90 MLPerf's rule needs for a p95.
    expect(result.points.find((p) => p.batchSize === 1024)?.p95Supported).toBe(false);
  });

  it('the sentence: best, knee, bend, and the thin p95 at 1024', () => {
    expect(result.sentence).toBe(
      'batch 1024: 32.5k items/s at p95 32.8 ms, the largest batch size measured; ' +
        'gains per doubling fall below 5 % from batch 256 (30.7k items/s at p95 8.7 ms); ' +
        'the curve bends most at batch 128 (28.0k items/s at p95 5.4 ms, 86 % of batch 1024); ' +
        "its p95 rests on too few samples (MLPerf's early-stopping rule needs 90, it has 64)",
    );
  });

  it('a 6 ms budget: 128, which is also the bend, so the sentence does not repeat it', () => {
    const tight = stageTradeoff('classify', anchorSteps(), { p95Ms: 6, p99Ms: 20, maxErrorRate: 0.01 });
    expect(tight.recommendation.batchSize).toBe(128);
    expect(tight.sentence).toBe('batch 128 is the largest within budget (28.0k items/s at p95 5.4 ms): 256 breaks p95 6 ms (8.7 ms)');
    expect(tight.points.filter((p) => p.withinBudget).map((p) => p.batchSize)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
  });
});

/** A synthetic dynamic-batching step from raw e2e and queue samples (us), over `measuredMs`. */
function measuredStep(
  batchSize: number,
  e2eUs: readonly number[],
  queueUs: readonly number[],
  measuredMs: number,
  extra: Partial<TradeoffStep> = {},
): TradeoffStep {
  const e2e = createHistogram();
  for (const value of e2eUs) recordUs(e2e, value);
  const queue = createHistogram();
  for (const value of queueUs) recordUs(queue, value);
  const e2eSummary = summarize(e2e);
  const queueSummary = summarize(queue);
  return {
    stage: 'classify',
    complete: true,
    batchSize,
    meanBatchSize: 1,
    throughput: { itemsPerSec: e2eUs.length / (measuredMs / 1000) },
    errors: { rate: 0 },
    latencyMs: { ...(e2eSummary && { e2e: e2eSummary }), ...(queueSummary && { queue: queueSummary }) },
    completed: e2eUs.length,
    measuredMs,
    histograms: { e2e: encodeHistogram(e2e) },
    ...extra,
  };
}

describe('stageTradeoff on synthetic steps', () => {
  const budget = { p95Ms: 10, p99Ms: 50, maxErrorRate: 0.01 };
  const repeat = (count: number, us: number) => Array.from({ length: count }, () => us);

  it('goodput, queue share and the p95 interval come from the histograms', () => {
    // batch 4: 100 items in 1 s, 90 at 5 ms and 10 at 20 ms; queue 1 ms each.
    const step = measuredStep(4, [...repeat(90, 5000), ...repeat(10, 20_000)], repeat(100, 1000), 1000);
    const [point] = stageTradeoff('classify', [step], budget).points;
    expect(point?.goodputPerSec).toBe(90);
    expect(point?.queueShare?.ofP50).toBeCloseTo(0.2, 2);
    expect(point?.queueShare?.ofMean).toBeCloseTo(1 / 6.5, 2);
    expect(point?.p95CiMs?.lowMs).toBeCloseTo(5, 2);
    expect(point?.p95CiMs?.highMs).toBeCloseTo(20, 1);
    expect(point?.p95Supported).toBe(true);
  });

  it('keeps only complete steps of the asked stage', () => {
    const steps = [
      measuredStep(1, repeat(100, 2000), [], 1000),
      measuredStep(2, repeat(300, 2000), [], 1000, { complete: false }),
      measuredStep(4, repeat(300, 2000), [], 1000, { stage: 'generate' }),
    ];
    const result = stageTradeoff('classify', steps, budget);
    expect(result.points.map((p) => p.batchSize)).toEqual([1]);
    expect(result.points[0]?.queueShare).toBeNull();
    expect(result.sentence).toBe('batch 1: 100 items/s at p95 2 ms, the largest batch size measured');
  });

  it('no steps: empty points, no knee, no recommendation', () => {
    const result = stageTradeoff('pipeline', [], budget);
    expect(result).toMatchObject({ points: [], knee: null, kneedle: null, pareto: [] });
    expect(result.recommendation.batchSize).toBeNull();
    expect(result.sentence).toBe('no batch size met the budget: no step measured any items');
  });

  it('all equal throughput: knee at the first size, no Kneedle bend', () => {
    const steps = [1, 2, 4, 8].map((b) => measuredStep(b, repeat(200, 3000), [], 1000));
    const result = stageTradeoff('classify', steps, budget);
    expect(result.knee).toBe(1);
    expect(result.kneedle).toBeNull();
    expect(result.pareto).toEqual([1, 2, 4, 8]);
    expect(result.recommendation.batchSize).toBe(1);
  });
});
