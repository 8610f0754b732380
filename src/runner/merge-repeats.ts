/**
 * --repeat N: one step measured N times becomes one measurement. Histograms add bucket by bucket
 * (exact), counts add, throughput = all items / all measured time, windows are concatenated in
 * order. startedAtMs/endedAtMs span the first to the last repeat, so measuredMs (the sum of the
 * repeats' measured time) is less than their difference: the gaps between repeats were not measured.
 */
import { mergeCounts, mergeLatencies, outputTokensOf, sumOf as sum } from '../metrics/measurement-merge.js';
import type { StepMeasurement } from '../core/measurement.js';
import type { RepeatReport, StabilityReport } from '../core/report/step.js';

export function mergeMeasurements(repeats: readonly StepMeasurement[]): StepMeasurement {
  const first = repeats[0];
  if (first === undefined) throw new RangeError('mergeMeasurements needs at least one measurement');
  if (repeats.length === 1) return first;
  const measuredMs = sum(repeats, (m) => m.measuredMs);
  const perSec = (count: number): number => (measuredMs > 0 ? count / (measuredMs / 1000) : 0);
  const counts = mergeCounts(repeats);
  const generating = repeats.some((m) => m.throughput.outputTokensPerSec !== null);
  // One repeat after another: the areas and the spans add (a missing one leaves the mean unknown).
  const inFlight = repeats.every((m) => m.inFlight !== undefined)
    ? { areaMs: sum(repeats, (m) => m.inFlight?.areaMs ?? 0), spanMs: sum(repeats, (m) => m.inFlight?.spanMs ?? 0) }
    : undefined;
  return {
    startedAtMs: Math.min(...repeats.map((m) => m.startedAtMs)),
    endedAtMs: Math.max(...repeats.map((m) => m.endedAtMs)),
    measuredMs,
    ...counts,
    throughput: { itemsPerSec: perSec(counts.completed), outputTokensPerSec: generating ? perSec(sum(repeats, outputTokensOf)) : null },
    ...mergeLatencies(repeats),
    windows: repeats.flatMap((m) => m.windows),
    ...(inFlight !== undefined && { inFlight }),
  };
}

/**
 * Each repeat's items/s and e2e p50/p95/p99, in the order they ran: the spread a reader judges noise
 * by, and what compare estimates run-to-run noise from.
 */
export function repeatSpread(repeats: readonly StepMeasurement[]): RepeatReport {
  return {
    itemsPerSec: repeats.map((m) => m.throughput.itemsPerSec),
    p95Ms: repeats.map((m) => m.latencyMs.e2e?.p95 ?? null),
    p50Ms: repeats.map((m) => m.latencyMs.e2e?.p50 ?? null),
    p99Ms: repeats.map((m) => m.latencyMs.e2e?.p99 ?? null),
  };
}

/** Stable only when every repeat settled; the extensions add up; the reason says which did not. */
export function mergeStability(reports: readonly (StabilityReport | null)[]): StabilityReport | null {
  const judged = reports.filter((r): r is StabilityReport => r !== null);
  const [only] = judged;
  if (only === undefined) return null;
  if (judged.length === 1) return only;
  const extendedMs = sum(judged, (r) => r.extendedMs);
  const worst = (pick: (r: StabilityReport) => number | null): number | null => {
    const values = judged.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  const unsettled = judged.map((r, i) => ({ r, repeat: i + 1 })).filter(({ r }) => r.kind !== 'stable');
  const p95Spread = worst((r) => r.p95Spread);
  const throughputSpread = worst((r) => r.throughputSpread);
  if (unsettled.length === 0) {
    return { kind: 'stable', reason: `all ${judged.length} repeats settled`, p95Spread, throughputSpread, extendedMs };
  }
  const reason = unsettled.map(({ r, repeat }) => `repeat ${repeat}: ${r.reason}`).join('; ');
  return {
    kind: 'unstable',
    reason: `${unsettled.length} of ${judged.length} repeats did not settle (${reason})`,
    p95Spread,
    throughputSpread,
    extendedMs,
  };
}
