/**
 * Merging measurements as plain data (StepMeasurement, as report.json holds it). The pieces every
 * merge shares (latency histograms added bucket by bucket, error classes and counts summed, output
 * text merged) and the merge of measurements taken AT THE SAME TIME (worker threads of one step;
 * later, several machines' shards): one measured window from the earliest arrival to the latest
 * response, throughput = all items / that window, and windows merged by wall clock.
 * runner/merge-repeats.ts merges SEQUENTIAL repeats from the same pieces.
 */
import { decodeHistogram, encodeHistogram, mergeEncoded, percentileMs, summarize, createHistogram } from './histogram.js';
import { mergeTextLengths } from './text-length.js';
import { LATENCY_PHASES, type LatencyPhase, type LatencySummary, type StepMeasurement, type WindowStat } from '../core/measurement.js';

/** Every latency phase any part saw, its histograms added (exact) and summarised again. */
export function mergeLatencies(parts: readonly StepMeasurement[]): Pick<StepMeasurement, 'latencyMs' | 'histograms'> {
  const latencyMs: Partial<Record<LatencyPhase, LatencySummary>> = {};
  const histograms: Partial<Record<LatencyPhase, string>> = {};
  for (const phase of LATENCY_PHASES) {
    const encoded = parts.map((m) => m.histograms[phase]).filter((h): h is string => h !== undefined);
    if (encoded.length === 0) continue;
    const merged = mergeEncoded(encoded);
    const summary = summarize(decodeHistogram(merged));
    if (summary === undefined) continue;
    histograms[phase] = merged;
    latencyMs[phase] = summary;
  }
  return { latencyMs, histograms };
}

/** Counts that add whatever the parts' timing: errors (by class), retries, abandoned, batch sizes, output text. */
/** Counts by error class added up over several records, classes in name order. */
export function sumClassCounts(counts: readonly (Readonly<Record<string, number>> | undefined)[]): Record<string, number> {
  const byClass: Record<string, number> = {};
  for (const record of counts)
    for (const [errorClass, count] of Object.entries(record ?? {})) byClass[errorClass] = (byClass[errorClass] ?? 0) + count;
  return Object.fromEntries(Object.entries(byClass).sort(([a], [b]) => a.localeCompare(b)));
}

export function mergeCounts(
  parts: readonly StepMeasurement[],
): Pick<StepMeasurement, 'completed' | 'errors' | 'retries' | 'abandoned' | 'meanBatchSize' | 'outputText'> {
  const completed = sumOf(parts, (m) => m.completed);
  const errorTotal = sumOf(parts, (m) => m.errors.total);
  const outputText = mergeTextLengths(parts.map((m) => m.outputText));
  return {
    completed,
    errors: {
      total: errorTotal,
      rate: completed + errorTotal > 0 ? errorTotal / (completed + errorTotal) : 0,
      byClass: sumClassCounts(parts.map((m) => m.errors.byClass)),
    },
    retries: sumOf(parts, (m) => m.retries ?? 0),
    abandoned: sumOf(parts, (m) => m.abandoned ?? 0),
    meanBatchSize: completed > 0 ? sumOf(parts, (m) => m.meanBatchSize * m.completed) / completed : 0,
    ...(outputText !== undefined && { outputText }),
  };
}

/** Output tokens a part received: its rate times its measured time (null rate: none). */
export function outputTokensOf(m: StepMeasurement): number {
  return (m.throughput.outputTokensPerSec ?? 0) * (m.measuredMs / 1000);
}

/**
 * Measurements taken concurrently as one: counts and histograms add; the measured window runs from
 * the earliest first arrival to the latest last response, and throughput is every item over it;
 * windows are merged by wall clock (mergeWindowLists). A part that recorded nothing adds nothing.
 */
export function mergeConcurrentMeasurements(parts: readonly StepMeasurement[]): StepMeasurement {
  const first = parts[0];
  if (first === undefined) throw new RangeError('mergeConcurrentMeasurements needs at least one measurement');
  if (parts.length === 1) return first;
  const recorded = parts.filter((m) => m.completed + m.errors.total > 0);
  const spanning = recorded.length > 0 ? recorded : parts;
  const startedAtMs = Math.min(...spanning.map((m) => m.startedAtMs));
  const endedAtMs = Math.max(...spanning.map((m) => m.endedAtMs));
  const measuredMs = Math.max(0, endedAtMs - startedAtMs);
  const counts = mergeCounts(parts);
  const perSec = (count: number): number => (measuredMs > 0 ? count / (measuredMs / 1000) : 0);
  const generating = parts.some((m) => m.throughput.outputTokensPerSec !== null);
  return {
    startedAtMs,
    endedAtMs,
    measuredMs,
    ...counts,
    throughput: { itemsPerSec: perSec(counts.completed), outputTokensPerSec: generating ? perSec(sumOf(parts, outputTokensOf)) : null },
    ...mergeLatencies(parts),
    windows: mergeWindowLists(
      parts.map((m) => m.windows),
      startedAtMs,
    ),
    ...concurrentInFlight(parts),
  };
}

/**
 * Parts that held their loads at the same time hold the sum of their mean loads: over the longest
 * span, an area that makes that sum (a missing part leaves the mean unknown).
 */
function concurrentInFlight(parts: readonly StepMeasurement[]): Pick<StepMeasurement, 'inFlight'> {
  const figures = parts.map((m) => m.inFlight);
  if (figures.some((f) => f === undefined || !(f.spanMs > 0))) return {};
  const spanMs = Math.max(...figures.map((f) => f?.spanMs ?? 0));
  const meanSum = sumOf(figures, (f) => (f === undefined ? 0 : f.areaMs / f.spanMs));
  return { inFlight: { areaMs: meanSum * spanMs, spanMs } };
}

/**
 * Windows of concurrent parts merged by wall clock. The parts' windows must share one grid (the
 * same start where they overlap; worker threads get one window origin for this): windows with the
 * same start add their counts and their e2e histograms (exact percentiles). A group in which a
 * window lacks its histogram but other windows hold items gets null percentiles and no histogram,
 * never a guess. Windows that end at or before `startedAtMs` (the merged first arrival) held nothing
 * measured and are dropped; the first one left starts at `startedAtMs`, so its rate is honest.
 */
export function mergeWindowLists(lists: readonly (readonly WindowStat[])[], startedAtMs: number): WindowStat[] {
  const groups = new Map<number, WindowStat[]>();
  for (const list of lists)
    for (const window of list) {
      const group = groups.get(window.startMs);
      if (group === undefined) groups.set(window.startMs, [window]);
      else group.push(window);
    }
  const merged: WindowStat[] = [];
  let previousEndMs = Number.NEGATIVE_INFINITY;
  for (const startMs of [...groups.keys()].sort((a, b) => a - b)) {
    const window = mergeWindowGroup(groups.get(startMs) as WindowStat[]);
    if (window.startMs < previousEndMs) {
      throw new RangeError(`windows do not share one grid: a window starting at ${window.startMs} overlaps one ending at ${previousEndMs}`);
    }
    previousEndMs = window.endMs;
    if (window.endMs <= startedAtMs) continue;
    merged.push(window.startMs < startedAtMs ? { ...window, startMs: startedAtMs } : window);
  }
  return merged;
}

function mergeWindowGroup(group: readonly WindowStat[]): WindowStat {
  const only = group[0] as WindowStat;
  const startMs = only.startMs;
  const endMs = Math.max(...group.map((w) => w.endMs));
  const completed = sumOf(group, (w) => w.completed);
  const errors = sumOf(group, (w) => w.errors);
  const withItems = group.filter((w) => w.completed > 0);
  const sums = windowSums(group);
  if (withItems.length <= 1) {
    const source = withItems[0] ?? only;
    return { ...pickPercentiles(source), startMs, endMs, completed, errors, ...sums };
  }
  if (withItems.some((w) => w.e2eHistogram === undefined)) {
    return { startMs, endMs, completed, errors, e2eP95Ms: null, e2eP50Ms: null, e2eP99Ms: null, ...sums };
  }
  const total = createHistogram();
  for (const w of withItems) total.add(decodeHistogram(w.e2eHistogram as string));
  return {
    startMs,
    endMs,
    completed,
    errors,
    e2eP95Ms: percentileMs(total, 95),
    e2eP50Ms: percentileMs(total, 50),
    e2eP99Ms: percentileMs(total, 99),
    e2eHistogram: encodeHistogram(total),
    ...sums,
  };
}

/** The window fields that add exactly: the e2e sum and the call count (when every part with items kept them) and failures by class. */
function windowSums(group: readonly WindowStat[]): Pick<WindowStat, 'e2eSumMs' | 'calls' | 'errorsByClass'> {
  const summed = group.every((w) => w.e2eSumMs !== undefined || w.completed === 0);
  const callsCounted = group.every((w) => w.calls !== undefined || w.completed === 0);
  const byClass = sumClassCounts(group.map((w) => w.errorsByClass));
  return {
    // Parts hold whole microseconds: rounding there keeps the sum what one recorder of every item gives.
    ...(summed && { e2eSumMs: Math.round(sumOf(group, (w) => w.e2eSumMs ?? 0) * 1000) / 1000 }),
    ...(callsCounted && { calls: sumOf(group, (w) => w.calls ?? 0) }),
    ...(Object.keys(byClass).length > 0 && { errorsByClass: byClass }),
  };
}

function pickPercentiles(w: WindowStat): Pick<WindowStat, 'e2eP95Ms' | 'e2eP50Ms' | 'e2eP99Ms' | 'e2eHistogram'> {
  return {
    e2eP95Ms: w.e2eP95Ms,
    ...(w.e2eP50Ms !== undefined && { e2eP50Ms: w.e2eP50Ms }),
    ...(w.e2eP99Ms !== undefined && { e2eP99Ms: w.e2eP99Ms }),
    ...(w.e2eHistogram !== undefined && { e2eHistogram: w.e2eHistogram }),
  };
}

export function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
