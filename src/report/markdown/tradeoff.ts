/**
 * report.md's trade-off part of a stage: the recommendation sentence, the table of what each batch
 * size costs and buys, and where the curve stops paying (the per-doubling rule and Kneedle).
 */
import type { StageTradeoff, TradeoffPoint } from '../../core/report/verdicts.js';
import { formatFactor, formatMs, formatPct, formatRate } from '../../format.js';
import type { Stage } from '../../core/stage.js';
import { UNSTABLE_MARK, UNSUPPORTED_MARK, withInterval } from './honesty.js';
import { renderTable, type Column } from './table.js';
import type { RunReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';

function p95Cell(point: TradeoffPoint): string {
  if (point.p95Ms === null) return '-';
  const supported = point.p95Supported !== false;
  if (point.p95CiMs === null) return `${formatMs(point.p95Ms)}${supported ? '' : UNSUPPORTED_MARK}`;
  return withInterval(point.p95Ms, point.p95CiMs.lowMs, point.p95CiMs.highMs, supported);
}

function queueCell(point: TradeoffPoint): string {
  return point.queueShare === null ? '-' : formatPct(point.queueShare.ofP50);
}

function columns(unstable: ReadonlySet<number>): Column<TradeoffPoint>[] {
  return [
    { header: 'batch', align: 'right', cell: (p) => `${p.batchSize}${unstable.has(p.batchSize) ? UNSTABLE_MARK : ''}` },
    { header: 'items/s', align: 'right', cell: (p) => formatRate(p.itemsPerSec) },
    { header: 'speedup', align: 'right', cell: (p) => formatFactor(p.speedup) },
    { header: 'efficiency', align: 'right', cell: (p) => formatFactor(p.efficiency) },
    { header: 'gain per doubling', align: 'right', cell: (p) => (p.gainPerDoubling === null ? '-' : formatPct(p.gainPerDoubling)) },
    { header: 'p95 e2e (95 % CI)', align: 'right', cell: p95Cell },
    { header: 'goodput', align: 'right', cell: (p) => (p.goodputPerSec === null ? '-' : formatRate(p.goodputPerSec)) },
    { header: 'queue share p50', align: 'right', cell: queueCell },
    { header: 'Pareto', cell: (p) => (p.pareto ? '●' : '') },
    { header: 'within budget', cell: (p) => (p.withinBudget ? '✓' : '✗') },
  ];
}

/** "Knee (every later doubling gains < 5 %): batch 256. Kneedle point (...): batch 128." */
function kneeLine(tradeoff: StageTradeoff): string {
  const doublings = tradeoff.points.filter((point) => point.gainPerDoubling !== null).length;
  const knee =
    tradeoff.knee !== null
      ? `batch ${tradeoff.knee}`
      : doublings === 0
        ? 'not known (no batch size and its double were both measured)'
        : `none within the sweep (the last measured doubling still gains ≥ ${formatPct(tradeoff.kneeGain)})`;
  const bend = tradeoff.kneedle === null ? 'none (too few points or no bend)' : `batch ${tradeoff.kneedle}`;
  return `Knee (every later doubling gains < ${formatPct(tradeoff.kneeGain)}): ${knee}. Kneedle point (largest bend of the log2 curve): ${bend}.`;
}

/** Batch sizes of the stage's complete, unstable steps (the curve's points are complete steps). */
function unstableSizes(steps: readonly StepReport[]): Set<number> {
  return new Set(steps.filter((step) => step.complete && step.stability?.kind === 'unstable').map((step) => step.batchSize));
}

function curveSection(tradeoff: StageTradeoff, steps: readonly StepReport[], headed: boolean): string {
  const lines: string[] = [];
  if (headed) lines.push(`**Curve ${tradeoff.label ?? ''}:** ${tradeoff.sentence}.`, '');
  if (tradeoff.points.length === 0) return [...lines, 'No complete step to analyse.'].join('\n');
  lines.push(renderTable(columns(unstableSizes(steps)), tradeoff.points), '', kneeLine(tradeoff));
  lines.push(
    'Goodput: items/s within the p95 budget. Queue share: p50 queue wait / p50 e2e. Pareto: no other batch size is both faster and lower-latency.',
  );
  return lines.join('\n');
}

/**
 * The stage's recommendation and trade-off tables. One curve: its sentence is the recommendation.
 * Several (modes or load levels): the stage-wide recommendation, then one table per curve.
 */
export function tradeoffSection(report: RunReport, stage: Stage): string {
  const curves = report.tradeoffs.filter((tradeoff) => tradeoff.stage === stage);
  const steps = report.steps.filter((step) => step.stage === stage);
  const rec = report.recommendation.find((r) => r.stage === stage);
  const only = curves.length === 1 ? curves[0] : undefined;
  const sentence = only?.sentence ?? rec?.reason;
  const lines: string[] = [];
  if (sentence !== undefined) lines.push(`**Recommendation:** ${sentence}.`);
  if (curves.length > 0) lines.push('', '### Trade-off', '');
  curves.forEach((curve, i) => {
    if (i > 0) lines.push('');
    lines.push(curveSection(curve, steps, curves.length > 1));
  });
  return lines.join('\n');
}

/** The recommendation sentences a terminal summary prints: the single curve's, else the stage's. */
export function recommendationSentences(report: RunReport): string[] {
  return report.recommendation.map((rec) => {
    const curves = report.tradeoffs.filter((tradeoff) => tradeoff.stage === rec.stage);
    const only = curves.length === 1 ? curves[0] : undefined;
    return `${rec.stage}: ${only?.sentence ?? rec.reason}`;
  });
}
