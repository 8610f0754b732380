/**
 * `pipebench merge`: shard runs measured at once (run --shard i/N) as one run. Every step's shards
 * are merged by the one merge of concurrent measurements (metrics/measurement-merge.ts: histograms
 * added, counts and errors summed, throughput over the common window, windows added on the shared
 * wall-clock grid); the run is then built and judged as a fresh run's (analyze-run.ts), and each
 * shard's own figures are kept beside it. Pure: checkShardSet has already vetted the set.
 */
import { measuredItems, type StepMeasurement } from '../core/measurement.js';
import type { RunReport } from '../core/report/run.js';
import type { ShardSummary } from '../core/report/shard.js';
import type { OpenLoopReport, StabilityReport, StepReport } from '../core/report/step.js';
import { lateShare } from '../load/send-stats.js';
import { mergedEndReason } from '../load/step-phases.js';
import { mergeConcurrentMeasurements, sumOf } from '../metrics/measurement-merge.js';
import { buildRunReport } from './analyze-run.js';
import type { ShardOf } from './shard-set.js';
import { InputError } from '../errors.js';

/** A start skew beyond this (one window) means the shards' loads did not overlap as planned. */
const SKEW_WARN_MS = 1000;

export function mergeShards(shards: readonly ShardOf[], runId: string): RunReport {
  const first = (shards[0] as ShardOf).report;
  const steps = first.steps.map((_step, i) =>
    mergeStep(
      shards.map((shard) => shard.report.steps[i] as StepReport),
      i,
    ),
  );
  return buildRunReport({
    runId,
    startedAt: earliest(shards.map((shard) => shard.report.startedAt)),
    finishedAt: latest(shards.map((shard) => shard.report.finishedAt)),
    partial: shards.some((shard) => shard.report.partial),
    interruptedBy: shards.find((shard) => shard.report.interruptedBy !== null)?.report.interruptedBy ?? null,
    environment: first.environment,
    target: first.target,
    backend: first.backend,
    models: first.models,
    workload: first.workload,
    budget: first.budget,
    stageBudgets: first.stageBudgets,
    steps,
    warnings: [
      ...mergeWarnings(shards),
      ...shards.flatMap((shard) => shard.report.warnings.map((w) => `shard ${shard.shard.index}: ${w}`)),
    ],
    shards: shards.map(shardSummary),
  });
}

function mergeStep(parts: readonly StepReport[], position: number): StepReport {
  const first = parts[0] as StepReport;
  const measurement = mergeOnGrid(parts, position);
  const { bottleneck: _judgedAgain, ...plan } = first;
  return {
    ...plan,
    ...measurement,
    outputText: measurement.outputText,
    openLoop: mergeOpenLoop(parts.map((part) => part.openLoop)),
    complete: parts.every((part) => part.complete) && measuredItems(measurement) > 0,
    measured: measuredItems(measurement),
    endedBy: mergedEndReason(parts.map((part) => part.endedBy ?? 'requests')),
    // The shards' GPU and server readings are each pod's own view: not merged, not carried.
    gpu: null,
    serverMetrics: null,
    stability: mergeStability(parts.map((part) => part.stability)),
    repeats: null,
    coldStartMs: null,
  };
}

/** Shards written by `run --shard` share one window grid; reports that do not cannot merge window by window. */
function mergeOnGrid(parts: readonly StepReport[], position: number): StepMeasurement {
  try {
    return mergeConcurrentMeasurements(parts);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InputError(
      `steps[${position}].windows`,
      `expected shards recorded on one window grid (pipebench run --shard), got ${error.message}`,
    );
  }
}

/** Sends and late sends sum; each shard sent its dealt share of one schedule, so the achieved rates add. */
function mergeOpenLoop(parts: readonly (OpenLoopReport | null)[]): OpenLoopReport | null {
  const reports = parts.filter((part): part is OpenLoopReport => part !== null);
  const first = reports[0];
  if (first === undefined) return null;
  const sends = sumOf(reports, (r) => r.sends);
  const lateSends = sumOf(reports, (r) => r.lateSends);
  const caps = reports.map((r) => r.maxInFlight);
  return {
    ...first,
    achievedRatePerSec: sumOf(reports, (r) => r.achievedRatePerSec),
    maxInFlight: caps.some((cap) => cap === null) ? null : sumOf(caps as number[], (cap) => cap),
    sends,
    lateSends,
    lateShare: lateShare({ sends, lateSends }),
    maxLateMs: Math.max(...reports.map((r) => r.maxLateMs)),
  };
}

/** Stable when every shard settled; which did not, by index. */
function mergeStability(parts: readonly (StabilityReport | null)[]): StabilityReport | null {
  const judged = parts.flatMap((report, index) => (report === null ? [] : [{ report, index }]));
  if (judged.length === 0) return null;
  const worst = (pick: (r: StabilityReport) => number | null): number | null => {
    const values = judged.map(({ report }) => pick(report)).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  const unsettled = judged.filter(({ report }) => report.kind !== 'stable');
  const kind = unsettled.length === 0 ? 'stable' : unsettled.some(({ report }) => report.kind === 'unstable') ? 'unstable' : 'not-judged';
  return {
    kind,
    reason:
      unsettled.length === 0
        ? `all ${judged.length} shards settled`
        : unsettled.map(({ report, index }) => `shard ${index}: ${report.reason}`).join('; '),
    p95Spread: worst((r) => r.p95Spread),
    throughputSpread: worst((r) => r.throughputSpread),
    extendedMs: Math.max(...judged.map(({ report }) => report.extendedMs)),
  };
}

function shardSummary(file: ShardOf): ShardSummary {
  return {
    ...file.shard,
    runId: file.report.runId,
    steps: file.report.steps.map((step) => ({
      index: step.index,
      completed: step.completed,
      errors: step.errors.total,
      itemsPerSec: step.throughput.itemsPerSec,
      e2eP95Ms: step.latencyMs.e2e?.p95 ?? null,
    })),
  };
}

/** What can make wall-clock windows of different machines disagree: late starts and clocks apart. */
function mergeWarnings(shards: readonly ShardOf[]): string[] {
  const warnings: string[] = [];
  const late = shards.filter((s) => s.shard.startSkewMs !== null && Math.abs(s.shard.startSkewMs) > SKEW_WARN_MS);
  if (late.length > 0)
    warnings.push(
      `shards started more than ${SKEW_WARN_MS} ms from --start-at (${late.map((s) => `shard ${s.shard.index}: ${Math.round(s.shard.startSkewMs ?? 0)} ms`).join(', ')}): their loads overlapped less than planned`,
    );
  const offsets = shards.flatMap((s) => (s.shard.clockOffset === null ? [] : [s.shard.clockOffset]));
  if (offsets.length >= 2) {
    const spreadMs = Math.max(...offsets.map((o) => o.offsetMs)) - Math.min(...offsets.map((o) => o.offsetMs));
    const uncertaintyMs = Math.max(...offsets.map((o) => o.uncertaintyMs));
    if (spreadMs > 2 * uncertaintyMs)
      warnings.push(
        `the shards' clocks differ by about ${spreadMs} ms (each estimate +-${uncertaintyMs} ms, from the target's Date header): windows merged by wall clock are that far apart`,
      );
  }
  return warnings;
}

function earliest(isoTimes: readonly string[]): string {
  return [...isoTimes].sort()[0] as string;
}

function latest(isoTimes: readonly string[]): string {
  return [...isoTimes].sort().at(-1) as string;
}
