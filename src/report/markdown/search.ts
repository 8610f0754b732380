/** report.md's parts for --search (what it found, what it saved) and --repeat (the spread per step). */
import { formatMs, formatRate } from '../../format.js';
import type { Column } from './table.js';
import type { RunReport, SearchReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';

function range(values: readonly number[], format: (value: number) => string): string {
  if (values.length === 0) return '-';
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low)}–${format(high)}`;
}

/** Spread columns (min–max over the repetitions) when any step of the stage repeated. */
export function repeatColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  if (!steps.some((step) => step.repeats !== null)) return [];
  return [
    { header: 'repeats', align: 'right', cell: (s) => (s.repeats === null ? '-' : String(s.repeats.itemsPerSec.length)) },
    { header: 'items/s spread', align: 'right', cell: (s) => (s.repeats === null ? '-' : range(s.repeats.itemsPerSec, formatRate)) },
    {
      header: 'p95 spread',
      align: 'right',
      cell: (s) =>
        s.repeats === null
          ? '-'
          : range(
              s.repeats.p95Ms.filter((ms): ms is number => ms !== null),
              formatMs,
            ),
    },
  ];
}

function axisName(search: SearchReport): string {
  return search.axis === 'batchSize' ? 'batch size' : 'request rate';
}

function valueText(search: SearchReport, value: number): string {
  return search.axis === 'batchSize' ? String(value) : `${formatRate(value)}/s`;
}

/** "classify: the largest batch size within budget is 64. 5 steps instead of 9 (12.3k items instead of ~20.1k). Tried: ..." */
export function describeSearch(search: SearchReport): string {
  const answer =
    search.answer === null
      ? `no ${axisName(search)} tried met the budget`
      : `the largest ${axisName(search)} within budget is ${valueText(search, search.answer)}`;
  const cost = `${search.stepsRun} steps instead of ${search.fullSweepSteps} (${formatRate(search.itemsMeasured)} items instead of ~${formatRate(search.fullSweepItemsEstimate)})`;
  const tried = search.tried.map((t) => `${valueText(search, t.value)} ${t.withinBudget ? '✓' : '✗'}`).join(', ');
  return `${search.stage}: ${answer}. ${cost}. Tried in order: ${tried === '' ? 'nothing' : tried}.`;
}

export function searchSection(report: RunReport): string {
  if (report.search.length === 0) return '';
  return ['## Search', '', ...report.search.map((search) => `- ${describeSearch(search)}`)].join('\n');
}
