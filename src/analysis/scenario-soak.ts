/**
 * soak: does the service (and the harness) stay the same over hours? Drift of window p95 and
 * throughput as fitted slopes, and a leak verdict from the host's memory samples.
 */
import { formatBytes, formatPct } from '../format.js';
import type { ScenarioFacts, TimelineWindow } from '../core/report/scenario.js';
import type { HostReport, HostSample } from '../core/report/telemetry.js';
import { fitDrift, type TimedValue } from './drift.js';
import { topHolds, windowItemsPerSec, windowsOfStages } from './scenario-windows.js';
import { placeStages } from '../load/placed-stages.js';
import type { DriftFit, LeakVerdictKind, SoakVerdict } from '../core/report/scenario-verdict.js';

/** RSS or heap growing by more than this over the run (fitted) is worth a look. */
export const MEMORY_GROWTH_LIMIT = 0.1;
/**
 * "Still rising" in the last third: fitted growth over that third above 1 % of its start. Memory
 * that levelled off (caches filled, JIT done) reads flat there; a leak keeps climbing.
 */
export const STILL_RISING = 0.01;
/**
 * And by at least this much: a harness heap of 30 MiB grows a few MiB over half an hour from GC
 * lag and its own per-window records alone (measured: 30.6 -> 35.1 MiB over a 30-minute soak
 * while RSS fell), which is not a leak anyone needs to chase.
 */
export const MEMORY_GROWTH_MIN_BYTES = 32 * 1024 * 1024;
/** Fewer host samples than this give no trend. */
const MIN_HOST_SAMPLES = 3;

type Leak = SoakVerdict['leak'];

const midMs = (w: TimelineWindow): number => (w.startMs + w.endMs) / 2;

/** The soak's hold windows (ramps excluded, they move throughput by design); all windows without a hold. */
function soakWindows(facts: ScenarioFacts): readonly TimelineWindow[] {
  const holds = topHolds(placeStages(facts.stages, facts.startedAtMs));
  return holds.length === 0 ? facts.timeline : windowsOfStages(facts.timeline, holds);
}

export function judgeSoak(facts: ScenarioFacts, host: HostReport | null): SoakVerdict {
  const windows = soakWindows(facts);
  const p95Series = windows.flatMap((w) => (w.p95Ms === null ? [] : [{ tMs: midMs(w), value: w.p95Ms }]));
  const p95Drift = fitDrift(p95Series, 'higher');
  const throughputDrift = fitDrift(
    windows.filter((w) => w.endMs > w.startMs).map((w) => ({ tMs: midMs(w), value: windowItemsPerSec(w) })),
    'lower',
  );
  const lastMs = facts.timeline.at(-1)?.endMs ?? facts.startedAtMs;
  const leak = judgeLeak(host, facts.startedAtMs, lastMs);
  const passed = p95Drift !== null && p95Drift.direction !== 'worse' && leak.verdict !== 'leak' && leak.verdict !== 'suspected';
  return { kind: 'soak', passed, summary: soakSummary(p95Drift, throughputDrift, leak), p95Drift, throughputDrift, leak };
}

/** Host samples during the scenario (warm-up allocations would read as growth); all of them if too few. */
function scenarioSamples(host: HostReport, startMs: number, endMs: number): readonly HostSample[] {
  const within = host.timeline.filter((s) => s.tMs >= startMs && s.tMs <= endMs);
  return within.length >= MIN_HOST_SAMPLES ? within : host.timeline;
}

function lastThird<T>(items: readonly T[]): readonly T[] {
  return items.slice(Math.floor((items.length * 2) / 3));
}

/** Fitted growth above the limit over the run, and still climbing in its last third. */
function growing(series: readonly TimedValue[], fit: DriftFit | null): boolean {
  if (fit === null || fit.relativeOverRun === null || fit.relativeOverRun <= MEMORY_GROWTH_LIMIT) return false;
  if (fittedGrowthBytes(series, fit) < MEMORY_GROWTH_MIN_BYTES) return false;
  const tail = fitDrift(lastThird(series), 'higher');
  return tail !== null && tail.relativeOverRun !== null && tail.relativeOverRun > STILL_RISING;
}

/** The fit's rise from the first to the last sample, in bytes. */
function fittedGrowthBytes(series: readonly TimedValue[], fit: DriftFit): number {
  const first = series[0];
  const last = series[series.length - 1];
  if (first === undefined || last === undefined) return 0;
  return (fit.slopePerHour * (last.tMs - first.tMs)) / 3_600_000;
}

/**
 * Tensors the floor may gain without a leak: a backend may keep one lazily made tensor (a new
 * shape's constant, say) for good. A per-request leak gains thousands over a soak.
 */
const TENSOR_FLOOR_SLACK = { count: 2, share: 0.01 } as const;

/**
 * In-process TF.js holds a constant set of tensors between batches; samples land mid-batch too,
 * so the floor is compared: the fewest tensors in the last third above the fewest in the first
 * third, by more than the slack, means tensors that are never disposed.
 */
function tensorFloorRose(samples: readonly HostSample[]): boolean {
  const counts = samples.flatMap((s) => (s.tfMemory === null ? [] : [s.tfMemory.numTensors]));
  if (counts.length < MIN_HOST_SAMPLES) return false;
  const third = Math.max(1, Math.floor(counts.length / 3));
  const startFloor = Math.min(...counts.slice(0, third));
  const slack = Math.max(TENSOR_FLOOR_SLACK.count, TENSOR_FLOOR_SLACK.share * startFloor);
  return Math.min(...counts.slice(-third)) > startFloor + slack;
}

export function judgeLeak(host: HostReport | null, startMs: number, endMs: number): Leak {
  const empty: Leak = {
    verdict: 'unknown',
    reason: 'no host samples were recorded',
    rssStartBytes: null,
    rssEndBytes: null,
    rssDrift: null,
    heapDrift: null,
    tfTensorsStart: null,
    tfTensorsEnd: null,
    tfBytesDrift: null,
  };
  if (host === null || host.timeline.length < MIN_HOST_SAMPLES) {
    return host === null ? empty : { ...empty, reason: `${host.timeline.length} host samples, ${MIN_HOST_SAMPLES} needed for a trend` };
  }
  const samples = scenarioSamples(host, startMs, endMs);
  const rss = samples.map((s) => ({ tMs: s.tMs, value: s.rssBytes }));
  const heap = samples.map((s) => ({ tMs: s.tMs, value: s.heapUsedBytes }));
  const tf = samples.flatMap((s) => (s.tfMemory === null ? [] : [s]));
  const rssDrift = fitDrift(rss, 'higher');
  const heapDrift = fitDrift(heap, 'higher');
  const tfBytesDrift = fitDrift(
    tf.map((s) => ({ tMs: s.tMs, value: s.tfMemory?.numBytes ?? 0 })),
    'higher',
  );
  const facts = {
    rssStartBytes: samples[0]?.rssBytes ?? null,
    rssEndBytes: samples.at(-1)?.rssBytes ?? null,
    rssDrift,
    heapDrift,
    tfTensorsStart: tf[0]?.tfMemory?.numTensors ?? null,
    tfTensorsEnd: tf.at(-1)?.tfMemory?.numTensors ?? null,
    tfBytesDrift,
  };
  const tensors = tf.length === 0 ? 'no tf.memory() samples (not an in-process target)' : null;
  if (tensorFloorRose(tf)) {
    return {
      verdict: 'leak',
      reason: `TF.js tensors rose from ${facts.tfTensorsStart} to ${facts.tfTensorsEnd} and never fell back: tensors are not disposed`,
      ...facts,
    };
  }
  const rising = [
    growing(rss, rssDrift) ? `RSS ${growthText(rssDrift)}` : null,
    growing(heap, heapDrift) ? `heap ${growthText(heapDrift)}` : null,
  ].filter((part): part is string => part !== null);
  if (rising.length > 0) {
    return { verdict: 'suspected', reason: `${rising.join(' and ')} over the run and still rising in its last third`, ...facts };
  }
  const steady = `RSS ${growthText(rssDrift)}, heap ${growthText(heapDrift)}${tensors === null ? `, TF.js tensors ${facts.tfTensorsStart} -> ${facts.tfTensorsEnd}` : ''}`;
  return { verdict: 'no-leak', reason: `${steady}${tensors === null ? '' : `; ${tensors}`}`, ...facts };
}

function growthText(fit: DriftFit | null): string {
  if (fit === null || fit.relativeOverRun === null) return 'trend unknown';
  return `${fit.relativeOverRun >= 0 ? '+' : ''}${formatPct(fit.relativeOverRun)}`;
}

function driftText(name: string, fit: DriftFit | null): string {
  if (fit === null) return `${name} drift unknown (fewer than 2 windows)`;
  return `${name} ${growthText(fit)} over the run (${fit.direction})`;
}

function soakSummary(p95: DriftFit | null, throughput: DriftFit | null, leak: Leak): string {
  const memory =
    leak.rssStartBytes !== null && leak.rssEndBytes !== null
      ? `, RSS ${formatBytes(leak.rssStartBytes)} -> ${formatBytes(leak.rssEndBytes)}`
      : '';
  const verdicts = {
    'no-leak': 'no leak',
    suspected: 'leak suspected',
    leak: 'leak',
    unknown: 'leak unknown',
  } as const satisfies Record<LeakVerdictKind, string>;
  return `Soak: ${driftText('p95', p95)}, ${driftText('throughput', throughput)}; ${verdicts[leak.verdict]}${memory} (${leak.reason}).`;
}
