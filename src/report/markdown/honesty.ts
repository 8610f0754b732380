/**
 * report.md's honesty marks: a percentile whose independent sample count cannot support it
 * (MLPerf's early-stopping rule) carries "†", a step whose measurement never settled carries "‡",
 * and each mark has a footnote under the stage with the numbers. Nothing is shown as if exact.
 */
import { formatMs, formatPct } from '../../format.js';
import { STAGES } from '../../core/stage.js';
import type { RunReport } from '../../core/report/run.js';
import type { E2eConfidenceReport, StepReport } from '../../core/report/step.js';

export const UNSUPPORTED_MARK = '†';
export const UNSTABLE_MARK = '‡';

export type E2ePercentile = 'p50' | 'p95' | 'p99';
const PERCENTILES: readonly E2ePercentile[] = ['p50', 'p95', 'p99'];

/** "412 ms†" when the step's samples cannot support that percentile, "412 ms" otherwise, "-" without samples. */
export function e2eCell(step: StepReport, percentile: E2ePercentile): string {
  const summary = step.latencyMs.e2e;
  if (summary === undefined) return '-';
  const supported = step.e2eConfidence?.[percentile].supported ?? true;
  return `${formatMs(summary[percentile])}${supported ? '' : UNSUPPORTED_MARK}`;
}

/** "4.4 ms (4.1 ms–4.9 ms)": a percentile with its confidence interval; a side the samples cannot bound reads "?". */
export function withInterval(valueMs: number, lowMs: number | null, highMs: number | null, supported: boolean): string {
  const side = (ms: number | null) => (ms === null ? '?' : formatMs(ms));
  return `${formatMs(valueMs)}${supported ? '' : UNSUPPORTED_MARK} (${side(lowMs)}–${side(highMs)})`;
}

/** "8‡" for an unstable step's batch size. */
export function batchCell(step: StepReport): string {
  return `${step.batchSize}${step.stability?.kind === 'unstable' ? UNSTABLE_MARK : ''}`;
}

export function unsupportedPercentiles(confidence: E2eConfidenceReport | null): E2ePercentile[] {
  if (confidence === null) return [];
  return PERCENTILES.filter((p) => !confidence[p].supported);
}

function stepName(step: StepReport): string {
  return `step ${step.index} (batch ${step.batchSize})`;
}

/** "180 samples; MLPerf's early-stopping rule needs 90 for a p95 and 459 for a p99". */
export function supportNote(confidence: E2eConfidenceReport): string | null {
  const short = unsupportedPercentiles(confidence);
  if (short.length === 0) return null;
  const needs = short.map((p) => `${confidence[p].minSamples} for a ${p}`);
  const list = needs.length > 1 ? `${needs.slice(0, -1).join(', ')} and ${needs[needs.length - 1] ?? ''}` : (needs[0] ?? '');
  return `${confidence.p50.samples} samples; MLPerf's early-stopping rule needs ${list}`;
}

/**
 * "p95 spread 14 %, throughput spread 3 %; ran 2.0 s past its plan" from a stability verdict. A
 * verdict judged with the windows' sampling error already spells each spread next to it in its
 * reason, so only the extension is added.
 */
function stabilityNote(step: StepReport): string {
  const stability = step.stability;
  if (stability === null) return '';
  const spelledOut = typeof stability.p95SamplingError === 'number';
  const spreads = [
    spelledOut || stability.p95Spread === null ? null : `p95 spread ${formatPct(stability.p95Spread)}`,
    spelledOut || stability.throughputSpread === null ? null : `throughput spread ${formatPct(stability.throughputSpread)}`,
    stability.extendedMs > 0 ? `extended ${formatMs(stability.extendedMs)}` : null,
  ].filter((part) => part !== null);
  return [stability.reason, ...spreads].filter((part) => part !== '').join('; ');
}

/** The footnotes for a stage's marks, one line per marked step; empty when nothing is marked. */
export function honestyFootnotes(steps: readonly StepReport[]): string {
  const lines: string[] = [];
  for (const step of steps) {
    const note = step.e2eConfidence === null ? null : supportNote(step.e2eConfidence);
    if (note !== null) lines.push(`${UNSUPPORTED_MARK} ${stepName(step)}: ${note}.`);
  }
  for (const step of steps) {
    if (step.stability?.kind === 'unstable') lines.push(`${UNSTABLE_MARK} ${stepName(step)} did not settle: ${stabilityNote(step)}.`);
  }
  return lines.join('\n\n');
}

/**
 * For a terminal: per stage, one line naming the percentiles its samples cannot support and one
 * naming its unstable steps, e.g. "† generate: p95 of batch 1, 2; p99 of batch 1, 2, 4 rest on too
 * few samples (MLPerf's early-stopping rule needs 90 for a p95, 459 for a p99)".
 */
export function honestySummary(report: RunReport): string[] {
  const lines: string[] = [];
  for (const stage of STAGES) {
    const steps = report.steps.filter((step) => step.stage === stage);
    const flagged = PERCENTILES.map((p) => ({ p, steps: steps.filter((step) => step.e2eConfidence?.[p].supported === false) })).filter(
      (entry) => entry.steps.length > 0,
    );
    if (flagged.length > 0) {
      const which = flagged.map(({ p, steps: thin }) => `${p} of batch ${thin.map((step) => step.batchSize).join(', ')}`).join('; ');
      const needs = flagged.map(({ p, steps: thin }) => `${thin[0]?.e2eConfidence?.[p].minSamples ?? '?'} for a ${p}`).join(', ');
      lines.push(`${UNSUPPORTED_MARK} ${stage}: ${which} rest on too few samples (MLPerf's early-stopping rule needs ${needs})`);
    }
    const unstable = steps.filter((step) => step.stability?.kind === 'unstable');
    if (unstable.length > 0) {
      lines.push(
        `${UNSTABLE_MARK} ${stage}: batch ${unstable.map((step) => step.batchSize).join(', ')} did not settle (unstable measurement)`,
      );
    }
  }
  return lines;
}
