/**
 * `pipebench compare`: a candidate run against a baseline, step by step. A metric is a regression
 * only when its change is past the degradation threshold AND the bootstrap interval of the change
 * lies wholly on the worse side of 0 (the change is beyond the noise). The result's shape is in
 * compare-model.ts; each metric is judged in compare-metrics.ts.
 */
import { serverConfigLabel } from '../core/server-config.js';
import type { RunReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';
import { MIN_WINDOWS } from './bootstrap.js';
import { compareMetric } from './compare-metrics.js';
import {
  DEFAULT_COMPARE_OPTIONS,
  ERROR_RATE_ALPHA,
  PERCENTILE_OF,
  type MetricStatus,
  type CompareOptions,
  type CompareResult,
  type JudgedMetric,
  type StepKey,
  type StepPair,
  type UnpairedStep,
} from './compare-model.js';
import { minSamplesFor } from './percentile-confidence.js';

export function compareRuns(baseline: RunReport, candidate: RunReport, options: CompareOptions = DEFAULT_COMPARE_OPTIONS): CompareResult {
  const { pairs, unpaired } = pairSteps(baseline.steps, candidate.steps);
  const compared = pairs.map(({ key, label, b, c }): StepPair => ({
    key,
    label,
    baselineIndex: b.index,
    candidateIndex: c.index,
    marks: marksFor(baseline, b, 'baseline').concat(marksFor(candidate, c, 'candidate')),
    metrics: options.metrics.map((metric) => compareMetric(metric, b, c, options)),
  }));
  const lines = (status: MetricStatus): string[] =>
    compared.flatMap((pair) =>
      pair.metrics
        .filter((m): m is JudgedMetric => m.kind !== 'missing' && m.status === status)
        .map((m) => describeChange(pair.label, m, options.confidence)),
    );
  const reasons = lines('regression');
  return {
    verdict: reasons.length === 0 ? 'PASS' : 'FAIL',
    reasons,
    improvements: lines('improvement'),
    inconclusive: lines('inconclusive'),
    runs: { baseline: baseline.runId, candidate: candidate.runId },
    thresholds: { latency: options.latencyThreshold, throughput: options.throughputThreshold },
    method: {
      percentiles:
        'bootstrap of each e2e percentile from the stored HDR histograms, each side resampled with its counts, items / mean batch size draws (items of one model call share its latency)',
      throughput: 'bootstrap of items/s over the 1 s measurement windows, each side resampled',
      errorRate: `one-sided two-proportion z-test: a regression when the candidate's rate is higher with p < ${ERROR_RATE_ALPHA}`,
      runToRun:
        'when a side was repeated (--repeat N): a Welch t interval on ln(value) across the repeats, centred on the merged change; the interval judged is the envelope of it and the bootstrap',
      resamples: options.resamples,
      seed: options.seed,
      confidence: options.confidence,
    },
    pairs: compared,
    unpaired,
    differences: options.differences,
    warnings: [
      ...options.differences.map(
        (d) => `not comparable, compared anyway (--force): ${d.field} differs (baseline ${d.baseline}, candidate ${d.candidate})`,
      ),
      ...(repeated(baseline) || repeated(candidate) ? [] : [UNREPEATED_WARNING]),
    ],
  };
}

/** Said whenever neither run was repeated: the intervals then cannot see drift between runs. */
export const UNREPEATED_WARNING =
  'neither run was repeated: the intervals cover sampling noise within each run, not drift from run to run; for sign-off, run both with --repeat 3 or more';

function repeated(report: RunReport): boolean {
  return report.steps.some((step) => (step.repeats?.itemsPerSec.length ?? 0) >= 2);
}

function keyOf(step: StepReport): StepKey {
  return {
    stage: step.stage,
    mode: step.mode,
    batchSize: step.batchSize,
    concurrency: step.concurrency,
    targetRatePerSec: step.openLoop?.targetRatePerSec ?? null,
    // Name order, so the same configuration keys the same whatever order a workload listed its parameters in.
    ...(step.serverConfig && {
      serverConfig: Object.fromEntries(Object.entries(step.serverConfig).sort(([a], [b]) => a.localeCompare(b))),
    }),
  };
}

export function stepLabel(key: StepKey): string {
  const parts = [`${key.stage} batch ${key.batchSize}`];
  if (key.mode === 'static') parts.push('static');
  if (key.concurrency !== null) parts.push(`concurrency ${key.concurrency}`);
  if (key.targetRatePerSec !== null) parts.push(`at ${key.targetRatePerSec}/s`);
  if (key.serverConfig) parts.push(`server ${serverConfigLabel(key.serverConfig)}`);
  return parts.join(' ');
}

/** The short label ("pipeline batch 16") when it is unique within each run, else the full one. */
function labeller(runs: readonly (readonly StepReport[])[]): (key: StepKey) => string {
  const short = (key: StepKey): string =>
    `${key.stage} batch ${key.batchSize}${key.serverConfig ? ` server ${serverConfigLabel(key.serverConfig)}` : ''}`;
  const ambiguous = new Set<string>();
  for (const steps of runs) {
    const seen = new Set<string>();
    for (const step of steps) {
      const text = short(keyOf(step));
      if (seen.has(text)) ambiguous.add(text);
      seen.add(text);
    }
  }
  return (key) => (ambiguous.has(short(key)) || key.mode === 'static' ? stepLabel(key) : short(key));
}

/** Each step pairs with the first unpaired step of the other run that has the same key. */
function pairSteps(baseline: readonly StepReport[], candidate: readonly StepReport[]) {
  const label = labeller([baseline, candidate]);
  const keyText = (step: StepReport): string => JSON.stringify(keyOf(step));
  const open = new Map<string, StepReport[]>();
  for (const step of candidate) open.set(keyText(step), [...(open.get(keyText(step)) ?? []), step]);
  const pairs: { key: StepKey; label: string; b: StepReport; c: StepReport }[] = [];
  const unpaired: UnpairedStep[] = [];
  for (const b of baseline) {
    const c = open.get(keyText(b))?.shift();
    if (c === undefined) unpaired.push({ side: 'baseline', index: b.index, label: label(keyOf(b)) });
    else pairs.push({ key: keyOf(b), label: label(keyOf(b)), b, c });
  }
  for (const rest of open.values()) {
    for (const c of rest) unpaired.push({ side: 'candidate', index: c.index, label: label(keyOf(c)) });
  }
  return { pairs, unpaired };
}

function marksFor(report: RunReport, step: StepReport, side: 'baseline' | 'candidate'): string[] {
  const marks: string[] = [];
  if (report.partial) marks.push(`${side} run partial`);
  if (!step.complete) marks.push(`incomplete in ${side}`);
  return marks;
}

/** "+24.8 %" with one decimal and a sign, for changes. */
export function formatSignedPct(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+inf' : '-inf';
  const pct = fraction * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`;
}

/** A pct with up to one decimal: 0.15 -> "15 %", 0.125 -> "12.5 %". */
export function formatThresholdPct(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`;
}

function describeChange(label: string, m: JudgedMetric, confidence: number): string {
  const name = m.metric === 'throughput' ? 'throughput' : m.metric;
  if (m.kind === 'errorRate') {
    const pct = (r: number): string => `${Number((r * 100).toFixed(2))} %`;
    return `${label}: error rate ${pct(m.baseline)} -> ${pct(m.candidate)} (two-proportion z-test p = ${m.pValue.toPrecision(2)} < ${ERROR_RATE_ALPHA})`;
  }
  const tooFew =
    m.kind === 'throughput'
      ? `no interval: fewer than ${MIN_WINDOWS} windows on a side`
      : `no interval: ${m.metric} needs ${minSamplesFor(PERCENTILE_OF[m.metric] / 100, confidence)} independent samples a side`;
  const ci =
    m.interval === null
      ? tooFew
      : `${formatThresholdPct(confidence)} CI ${formatSignedPct(m.interval.low)} .. ${formatSignedPct(m.interval.high)}`;
  const verb = m.status === 'improvement' ? 'improves past' : 'exceeds';
  return `${label}: ${name} ${formatSignedPct(m.change)} (${ci}) ${verb} ${formatThresholdPct(m.threshold)}`;
}
