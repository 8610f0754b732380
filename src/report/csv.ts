/**
 * steps.csv: the step table as RFC 4180 CSV (CRLF line ends; a field with a comma, quote, CR or LF
 * is quoted and its quotes doubled), one header row then one row per step. Numbers are in the
 * units the header names; an unknown value is an empty field. e2e_samples are independent samples
 * (items / mean batch size); *_supported says whether MLPerf's early-stopping rule allows that percentile.
 */
import type { LatencyPhase } from '../core/measurement.js';
import type { RunReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';

type Cell = string | number | boolean | null;

const COLUMNS = [
  ['step', (s) => s.index],
  ['stage', (s) => s.stage],
  ['mode', (s) => s.mode],
  ['batch_size', (s) => s.batchSize],
  ['concurrency', (s) => s.concurrency],
  ['target_rate_per_sec', (s) => s.openLoop?.targetRatePerSec ?? null],
  ['completed', (s) => s.completed],
  ['items_per_sec', (s) => round(s.throughput.itemsPerSec, 3)],
  ['e2e_p50_ms', (s) => phase(s, 'e2e', 'p50')],
  ['e2e_p95_ms', (s) => phase(s, 'e2e', 'p95')],
  ['e2e_p99_ms', (s) => phase(s, 'e2e', 'p99')],
  ['e2e_p95_ci_low_ms', (s) => roundOrNull(s.e2eConfidence?.p95.lowMs ?? null)],
  ['e2e_p95_ci_high_ms', (s) => roundOrNull(s.e2eConfidence?.p95.highMs ?? null)],
  ['e2e_samples', (s) => s.e2eConfidence?.p95.samples ?? null],
  ['e2e_p95_supported', (s) => s.e2eConfidence?.p95.supported ?? null],
  ['e2e_p99_supported', (s) => s.e2eConfidence?.p99.supported ?? null],
  ['stability', (s) => s.stability?.kind ?? null],
  ['queue_p50_ms', (s) => phase(s, 'queue', 'p50')],
  ['inference_p50_ms', (s) => phase(s, 'inference', 'p50')],
  ['server_p50_ms', (s) => phase(s, 'server', 'p50')],
  ['error_rate', (s) => round(s.errors.rate, 6)],
  ['errors_by_class', (s) => errorsByClass(s)],
  ['within_budget', (s) => s.withinBudget],
  ['complete', (s) => s.complete],
] as const satisfies readonly (readonly [string, (step: StepReport) => Cell])[];

export function renderStepsCsv(report: Pick<RunReport, 'steps'>): string {
  const rows = [COLUMNS.map(([name]) => name), ...report.steps.map((step) => COLUMNS.map(([, cell]) => cell(step)))];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One RFC 4180 field. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function phase(step: StepReport, name: LatencyPhase, percentile: 'p50' | 'p95' | 'p99'): number | null {
  const summary = step.latencyMs[name];
  return summary === undefined ? null : round(summary[percentile], 3);
}

/** "timeout=3;http_503=1", classes in name order; empty when there were none. */
function errorsByClass(step: StepReport): string {
  return Object.entries(step.errors.byClass)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([errorClass, count]) => `${errorClass}=${count}`)
    .join(';');
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function roundOrNull(ms: number | null): number | null {
  return ms === null ? null : round(ms, 3);
}
