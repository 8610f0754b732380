import { describe, expect, it } from 'vitest';
import { compareRuns, UNREPEATED_WARNING } from '../../src/analysis/compare.js';
import { higherRatePValue } from '../../src/analysis/compare-metrics.js';
import { DEFAULT_COMPARE_OPTIONS, type MetricComparison, type StepPair } from '../../src/analysis/compare-model.js';
import type { RepeatReport } from '../../src/core/report/step.js';
import { latencySamplesMs, makeRun, scaled, type StepSpec } from './compare-fixtures.js';

const classify = latencySamplesMs(600, 20, 0.25, 1);
const pipeline = latencySamplesMs(300, 900, 0.2, 2);
const WINDOWS = [100, 104, 97, 101, 99, 98];

function baselineSpecs(): StepSpec[] {
  return [
    { stage: 'classify', batchSize: 4, samplesMs: classify, windowCounts: WINDOWS },
    { stage: 'pipeline', batchSize: 16, samplesMs: pipeline, windowCounts: WINDOWS.map((w) => w / 2) },
  ];
}

function metric(pair: StepPair | undefined, name: string): MetricComparison {
  const found = pair?.metrics.find((m) => m.metric === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

function status(pair: StepPair | undefined, name: string): string {
  const found = metric(pair, name);
  return found.kind === 'missing' ? 'missing' : found.status;
}

describe('compareRuns', () => {
  it('identical runs PASS with every change 0', () => {
    const result = compareRuns(makeRun(baselineSpecs(), 'a'), makeRun(baselineSpecs(), 'b'));
    expect(result.verdict).toBe('PASS');
    expect(result.reasons).toEqual([]);
    expect(result.pairs.map((p) => p.label)).toEqual(['classify batch 4', 'pipeline batch 16']);
    for (const pair of result.pairs) {
      for (const m of pair.metrics) {
        expect(m.kind).not.toBe('missing');
        if (m.kind !== 'missing') expect(m.change).toBe(0);
      }
    }
    expect(result.runs).toEqual({ baseline: 'a', candidate: 'b' });
  });

  it('every value x1.25 FAILs, naming the step and metric with its interval', () => {
    const slower = baselineSpecs().map((s) => ({
      ...s,
      samplesMs: scaled(s.samplesMs, 1.25),
      windowCounts: s.windowCounts!.map((w) => Math.round(w / 1.25)),
    }));
    const result = compareRuns(makeRun(baselineSpecs()), makeRun(slower));
    expect(result.verdict).toBe('FAIL');
    const p95 = metric(result.pairs[1], 'p95');
    if (p95.kind !== 'latency') throw new Error('latency expected');
    expect(p95.status).toBe('regression');
    expect(p95.change).toBeCloseTo(0.25, 2);
    expect(p95.interval!.low).toBeGreaterThan(0.1);
    expect(status(result.pairs[0], 'throughput')).toBe('regression');
    expect(result.reasons).toContainEqual(
      expect.stringMatching(/^pipeline batch 16: p95 \+25\.\d % \(95 % CI \+\d+\.\d % \.\. \+\d+\.\d %\) exceeds 10 %$/),
    );
    expect(result.reasons.some((r) => r.startsWith('classify batch 4: throughput +'))).toBe(true);
  });

  it('x1.05 PASSes: beyond the noise maybe, but under the threshold', () => {
    const slightly = baselineSpecs().map((s) => ({ ...s, samplesMs: scaled(s.samplesMs, 1.05) }));
    const result = compareRuns(makeRun(baselineSpecs()), makeRun(slightly));
    expect(result.verdict).toBe('PASS');
    const p50 = metric(result.pairs[0], 'p50');
    if (p50.kind !== 'latency') throw new Error('latency expected');
    expect(p50.status).toBe('within-threshold');
    expect(p50.exceedsThreshold).toBe(false);
  });

  it('a small noisy sample over the threshold, with an interval crossing 0, is noise and not a regression', () => {
    const noisy = latencySamplesMs(12, 50, 0.8, 21);
    const result = compareRuns(makeRun([{ samplesMs: noisy }]), makeRun([{ samplesMs: scaled(noisy, 1.3) }]));
    const p50 = metric(result.pairs[0], 'p50');
    if (p50.kind !== 'latency') throw new Error('latency expected');
    expect(p50.change).toBeCloseTo(0.3, 2);
    expect(p50.interval!.low).toBeLessThan(0);
    expect(p50.status).toBe('noise');
    // 12 samples cannot support a p95 at all: past the threshold, but not judged.
    expect(status(result.pairs[0], 'p95')).toBe('inconclusive');
    expect(result.inconclusive).toContainEqual(
      expect.stringMatching(
        /^classify batch 1: p95 \+(29\.9|30\.[01]) % \(no interval: p95 needs 59 independent samples a side\) exceeds 10 %$/,
      ),
    );
    expect(result.verdict).toBe('PASS');
  });

  it('an improvement is reported, not failed', () => {
    const faster = baselineSpecs().map((s) => ({ ...s, samplesMs: scaled(s.samplesMs, 0.7) }));
    const result = compareRuns(makeRun(baselineSpecs()), makeRun(faster));
    expect(result.verdict).toBe('PASS');
    expect(status(result.pairs[0], 'p95')).toBe('improvement');
    expect(result.improvements.some((line) => line.startsWith('classify batch 4: p95 -30.0 %'))).toBe(true);
  });

  it('the latency threshold is settable: 30 % lets a 25 % slowdown pass', () => {
    const slower = baselineSpecs().map((s) => ({ ...s, samplesMs: scaled(s.samplesMs, 1.25) }));
    const result = compareRuns(makeRun(baselineSpecs()), makeRun(slower), {
      ...DEFAULT_COMPARE_OPTIONS,
      latencyThreshold: 0.3,
      metrics: ['p95'],
    });
    expect(result.verdict).toBe('PASS');
    expect(result.pairs[0]!.metrics.map((m) => m.metric)).toEqual(['p95']);
  });

  it('one sample or too few windows: over the threshold but inconclusive, never a regression', () => {
    const result = compareRuns(makeRun([{ samplesMs: [10] }]), makeRun([{ samplesMs: [20] }]));
    expect(status(result.pairs[0], 'p50')).toBe('inconclusive');
    expect(result.verdict).toBe('PASS');
    expect(result.inconclusive[0]).toBe(
      'classify batch 1: p50 +100.0 % (no interval: p50 needs 5 independent samples a side) exceeds 10 %',
    );
  });

  it('items sharing model calls count once per call: batch-8 steps need 8x the items to judge a p95', () => {
    const run = (values: number[], meanBatchSize: number) => {
      const report = makeRun([{ samplesMs: values, windowCounts: WINDOWS }]);
      return { ...report, steps: report.steps.map((s) => ({ ...s, meanBatchSize })) };
    };
    const values = latencySamplesMs(400, 20, 0.25, 9);
    expect(status(compareRuns(run(values, 1), run(scaled(values, 1.25), 1)).pairs[0], 'p95')).toBe('regression');
    const batched = compareRuns(run(values, 8), run(scaled(values, 1.25), 8));
    expect(status(batched.pairs[0], 'p95')).toBe('inconclusive');
    expect(status(batched.pairs[0], 'p50')).toBe('regression');
  });

  it('an empty histogram is missing, not compared', () => {
    const result = compareRuns(makeRun([{ samplesMs: [], windowCounts: [0], complete: false }]), makeRun([{ samplesMs: classify }]));
    expect(metric(result.pairs[0], 'p95')).toEqual({ kind: 'missing', metric: 'p95', reason: 'no e2e samples in the baseline' });
    expect(metric(result.pairs[0], 'throughput').kind).toBe('missing');
    expect(result.pairs[0]!.marks).toEqual(['incomplete in baseline']);
  });

  it('lists unpaired steps and compares the rest', () => {
    const candidate = [...baselineSpecs().slice(0, 1), { stage: 'classify' as const, batchSize: 8, samplesMs: classify }];
    const result = compareRuns(makeRun(baselineSpecs()), makeRun(candidate));
    expect(result.pairs.map((p) => p.label)).toEqual(['classify batch 4']);
    expect(result.unpaired).toEqual([
      { side: 'baseline', index: 1, label: 'pipeline batch 16' },
      { side: 'candidate', index: 1, label: 'classify batch 8' },
    ]);
  });

  it('error rate: a significant rise is a regression, a single extra error is not', () => {
    const withErrors = (errors: number): StepSpec[] => [{ samplesMs: classify, windowCounts: WINDOWS, errors }];
    const rise = compareRuns(makeRun(withErrors(0)), makeRun(withErrors(30)));
    expect(status(rise.pairs[0], 'errorRate')).toBe('regression');
    expect(rise.reasons.some((r) => /classify batch 1: error rate 0 % -> 4\.\d+ % \(two-proportion z-test p = .+ < 0\.05\)/.test(r))).toBe(
      true,
    );
    const one = compareRuns(makeRun(withErrors(0)), makeRun(withErrors(1)));
    expect(status(one.pairs[0], 'errorRate')).toBe('within-threshold');
    expect(one.verdict).toBe('PASS');
  });

  it('forced differences become warnings', () => {
    const result = compareRuns(makeRun(baselineSpecs()), makeRun(baselineSpecs()), {
      ...DEFAULT_COMPARE_OPTIONS,
      differences: [{ field: 'backend.name', baseline: '"wasm"', candidate: '"cpu"' }],
    });
    expect(result.warnings).toEqual([
      'not comparable, compared anyway (--force): backend.name differs (baseline "wasm", candidate "cpu")',
      UNREPEATED_WARNING,
    ]);
  });
});

describe('compareRuns with repeats (run-to-run noise)', () => {
  const repeatsOf = (p50: number[], p95: number[], p99: number[], itemsPerSec: number[]): RepeatReport => ({
    p50Ms: p50,
    p95Ms: p95,
    p99Ms: p99,
    itemsPerSec,
  });
  const slowerSpec = (repeats: RepeatReport): StepSpec[] => [
    { stage: 'pipeline', batchSize: 16, samplesMs: scaled(pipeline, 1.25), windowCounts: WINDOWS.map((w) => Math.round(w / 2.5)), repeats },
  ];
  const baseSpec = (repeats: RepeatReport): StepSpec[] => [
    { stage: 'pipeline', batchSize: 16, samplesMs: pipeline, windowCounts: WINDOWS.map((w) => w / 2), repeats },
  ];

  it('a 25 % slowdown within the spread the repeats showed is noise, not a regression', () => {
    // Repeats of the same step scattered by about +-20 % on each side.
    const wide = repeatsOf([700, 900, 1100], [1100, 1500, 1900], [1300, 1800, 2300], [40, 50, 60]);
    const result = compareRuns(makeRun(baseSpec(wide)), makeRun(slowerSpec(wide)));
    const p95 = metric(result.pairs[0], 'p95');
    if (p95.kind !== 'latency') throw new Error('latency expected');
    expect(p95.exceedsThreshold).toBe(true);
    expect(p95.repeatInterval!.low).toBeLessThan(0);
    expect(p95.status).toBe('noise');
    expect(status(result.pairs[0], 'throughput')).toBe('noise');
    expect(result.verdict).toBe('PASS');
    expect(result.warnings).toEqual([]);
  });

  it('the same slowdown FAILs when the repeats agree closely', () => {
    const tight = (f: number): RepeatReport =>
      repeatsOf([900 * f, 905 * f, 895 * f], [1500 * f, 1510 * f, 1495 * f], [1800 * f, 1790 * f, 1810 * f], [50 / f, 50.5 / f, 49.5 / f]);
    const result = compareRuns(makeRun(baseSpec(tight(1))), makeRun(slowerSpec(tight(1.25))));
    const p95 = metric(result.pairs[0], 'p95');
    if (p95.kind !== 'latency') throw new Error('latency expected');
    expect(p95.repeatInterval!.low).toBeGreaterThan(0.1);
    expect(p95.status).toBe('regression');
    expect(result.verdict).toBe('FAIL');
  });

  it('a report from before p50/p99 repeats were kept still judges them by sampling noise', () => {
    const old: RepeatReport = { itemsPerSec: [50, 50, 50], p95Ms: [1500, 1500, 1500] };
    const result = compareRuns(makeRun(baseSpec(old)), makeRun(slowerSpec(old)));
    const p50 = metric(result.pairs[0], 'p50');
    if (p50.kind !== 'latency') throw new Error('latency expected');
    expect(p50.repeatInterval).toBeNull();
    expect(p50.status).toBe('regression');
  });
});

describe('higherRatePValue', () => {
  it('is small for a clear rise, 0.5 for equal rates and 1 when nothing failed', () => {
    expect(higherRatePValue(10, 1000, 40, 1000)).toBeLessThan(0.001);
    expect(higherRatePValue(10, 1000, 10, 1000)).toBeCloseTo(0.5, 5);
    expect(higherRatePValue(0, 100, 0, 100)).toBe(1);
    expect(higherRatePValue(100, 100, 100, 100)).toBe(1);
  });

  it('matches the normal tail at a known z', () => {
    // Rates 0.1 and 0.15 with 1,000 each: pooled 0.125, se 0.01479, z 3.381, one-sided p 0.00036.
    expect(higherRatePValue(100, 1000, 150, 1000)).toBeCloseTo(0.00036, 4);
  });
});
