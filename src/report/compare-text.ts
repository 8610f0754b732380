/** `pipebench compare` in the terminal; also the cell text the Markdown renderer shares. */
import { formatSignedPct, formatThresholdPct } from '../analysis/compare.js';
import { type CompareResult, type MetricComparison, type MetricStatus, type StepPair } from '../analysis/compare-model.js';
import { formatMs, formatRate } from '../format.js';

/** Paths (or any names) the runs were read from, shown next to their run ids. */
export interface CompareSources {
  readonly baseline: string;
  readonly candidate: string;
}

export interface MetricRow {
  readonly step: string;
  readonly metric: string;
  readonly baseline: string;
  readonly candidate: string;
  readonly change: string;
  readonly interval: string;
  readonly threshold: string;
  readonly status: string;
  readonly regression: boolean;
}

const STATUS_TEXT = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  'within-threshold': 'ok',
  noise: 'within noise',
  inconclusive: 'too few samples',
} as const satisfies Record<MetricStatus, string>;

const METRIC_NAME = { p50: 'p50', p95: 'p95', p99: 'p99', throughput: 'throughput', errorRate: 'error rate' } as const;

const errorPct = (rate: number): string => `${Number((rate * 100).toFixed(2))} %`;

function row(pair: StepPair, m: MetricComparison): MetricRow {
  const step = pair.marks.length === 0 ? pair.label : `${pair.label} (${pair.marks.join(', ')})`;
  const metric = METRIC_NAME[m.metric];
  if (m.kind === 'missing') {
    return {
      step,
      metric,
      baseline: '-',
      candidate: '-',
      change: '-',
      interval: '-',
      threshold: '-',
      status: `not compared: ${m.reason}`,
      regression: false,
    };
  }
  const common = { step, metric, status: STATUS_TEXT[m.status], regression: m.status === 'regression' };
  if (m.kind === 'errorRate') {
    const points = (m.change * 100).toFixed(2);
    return {
      ...common,
      baseline: errorPct(m.baseline),
      candidate: errorPct(m.candidate),
      change: `${m.change >= 0 ? '+' : ''}${points} pts`,
      interval: `p = ${m.pValue.toPrecision(2)}`,
      threshold: 'z-test',
    };
  }
  const value = m.kind === 'latency' ? formatMs : (perSec: number): string => `${formatRate(perSec)}/s`;
  return {
    ...common,
    baseline: value(m.baseline),
    candidate: value(m.candidate),
    change: formatSignedPct(m.change),
    interval: m.interval === null ? '-' : `${formatSignedPct(m.interval.low)} .. ${formatSignedPct(m.interval.high)}`,
    threshold: formatThresholdPct(m.threshold),
  };
}

export function metricRows(result: CompareResult): MetricRow[] {
  return result.pairs.flatMap((pair) => pair.metrics.map((m) => row(pair, m)));
}

export function verdictLine(result: CompareResult): string {
  const n = result.reasons.length;
  return result.verdict === 'PASS'
    ? 'PASS: no regression beyond its threshold and the noise'
    : `FAIL: ${n} ${n === 1 ? 'regression' : 'regressions'}`;
}

export function methodLine(result: CompareResult): string {
  const { method, thresholds } = result;
  return (
    `thresholds: latency ${formatThresholdPct(thresholds.latency)}, throughput ${formatThresholdPct(thresholds.throughput)}; ` +
    `noise: ${formatThresholdPct(method.confidence)} bootstrap interval (${method.resamples} resamples, seed ${method.seed})` +
    `${repeatsNote(result)}; ` +
    `error rate: ${method.errorRate}`
  );
}

/** How many repeats each side's run-to-run noise came from, when any side was repeated. */
function repeatsNote(result: CompareResult): string {
  const judged = result.pairs
    .flatMap((pair) => pair.metrics)
    .some((m) => (m.kind === 'latency' || m.kind === 'throughput') && m.repeatInterval !== null);
  return judged ? ' widened by the spread across repeats (Welch t on ln values)' : '';
}

export function unpairedLines(result: CompareResult): string[] {
  return (['baseline', 'candidate'] as const)
    .map((side) => ({ side, labels: result.unpaired.filter((u) => u.side === side).map((u) => u.label) }))
    .filter(({ labels }) => labels.length > 0)
    .map(({ side, labels }) => `only in the ${side}: ${labels.join(', ')}`);
}

function aligned(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function renderCompareText(result: CompareResult, sources: CompareSources): string {
  const lines = [
    `pipebench compare: ${verdictLine(result)}`,
    `  baseline   ${sources.baseline} (run ${result.runs.baseline})`,
    `  candidate  ${sources.candidate} (run ${result.runs.candidate})`,
    `  ${methodLine(result)}`,
    ...result.warnings.map((w) => `warning: ${w}`),
  ];
  const section = (title: string, items: readonly string[]): void => {
    if (items.length > 0) lines.push('', title, ...items.map((item) => `  ${item}`));
  };
  section('Regressions:', result.reasons);
  section('Improvements:', result.improvements);
  section('Past a threshold, but too few samples or windows to judge the noise:', result.inconclusive);
  const rows = metricRows(result);
  const ci = `${formatThresholdPct(result.method.confidence)} CI`;
  lines.push(
    '',
    ...aligned([
      ['step', 'metric', 'baseline', 'candidate', 'change', ci, 'threshold', 'status'],
      ...rows.map((r) => [r.step, r.metric, r.baseline, r.candidate, r.change, r.interval, r.threshold, r.status]),
    ]),
  );
  section('Not compared (no matching step):', unpairedLines(result));
  return `${lines.join('\n')}\n`;
}
