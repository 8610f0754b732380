/** Steps and runs with known latency samples and windows, on top of the synthetic report. */
import { createHistogram, encodeHistogram, recordUs, summarize } from '../../src/metrics/histogram.js';
import type { WindowStat } from '../../src/core/measurement.js';
import { mulberry32 } from '../../src/random.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { RepeatReport, StepReport } from '../../src/core/report/step.js';
import type { Stage } from '../../src/core/stage.js';
import { syntheticReport } from '../report/synthetic-run.js';

/** `n` latencies around `medianMs`, log-normally spread by `sigma` (0 = all equal), seeded. */
export function latencySamplesMs(n: number, medianMs: number, sigma: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return medianMs * Math.exp(sigma * normal);
  });
}

export interface StepSpec {
  readonly stage?: Stage;
  readonly batchSize?: number;
  readonly samplesMs: readonly number[];
  /** Items completed in each 1 s window. */
  readonly windowCounts?: readonly number[];
  readonly errors?: number;
  readonly complete?: boolean;
  /** --repeat N: each repeat's values (the merged histogram is still `samplesMs`). */
  readonly repeats?: RepeatReport;
}

const T0 = 1_750_000_000_000;

let base: RunReport | undefined;
/** Built once: the synthetic report runs thousands of items through the real recorder. */
function baseReport(): RunReport {
  base ??= syntheticReport();
  return base;
}

export function makeStep(index: number, spec: StepSpec): StepReport {
  const template = baseReport().steps[0] as StepReport;
  const histogram = createHistogram();
  for (const ms of spec.samplesMs) recordUs(histogram, ms * 1000);
  const summary = summarize(histogram);
  const windowCounts = spec.windowCounts ?? [spec.samplesMs.length];
  const windows: WindowStat[] = windowCounts.map((completed, i) => ({
    startMs: T0 + i * 1000,
    endMs: T0 + (i + 1) * 1000,
    completed,
    errors: 0,
    e2eP95Ms: summary?.p95 ?? null,
  }));
  const completed = windowCounts.reduce((a, b) => a + b, 0);
  const errors = spec.errors ?? 0;
  return {
    ...template,
    index,
    stage: spec.stage ?? 'classify',
    batchSize: spec.batchSize ?? 1,
    concurrency: 2 * (spec.batchSize ?? 1),
    completed,
    errors: { total: errors, rate: errors / (completed + errors), byClass: errors > 0 ? { timeout: errors } : {} },
    throughput: { itemsPerSec: completed / windowCounts.length, outputTokensPerSec: null },
    measuredMs: windowCounts.length * 1000,
    latencyMs: summary === undefined ? {} : { e2e: summary },
    histograms: summary === undefined ? {} : { e2e: encodeHistogram(histogram) },
    windows,
    complete: spec.complete ?? true,
    repeats: spec.repeats ?? null,
  };
}

export function makeRun(steps: readonly StepSpec[], runId = 'run'): RunReport {
  return { ...baseReport(), runId, steps: steps.map((spec, i) => makeStep(i, spec)) };
}

export const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => v * factor);
