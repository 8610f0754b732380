/** report.md's cold-start column and the note under a stage whose first call was far slower than its p50. */
import { coldStartFactor, isSlowColdStart, SLOW_COLD_START_FACTOR } from '../../analysis/cold-start.js';
import type { StepReport } from '../../core/report/step.js';
import { formatMs } from '../../format.js';
import type { Column } from './table.js';

export const SLOW_COLD_START_MARK = '⚠';

/** A "first call" column when any step measured one. */
export function coldStartColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  if (!steps.some((step) => typeof step.coldStartMs === 'number')) return [];
  return [
    {
      header: 'first call',
      align: 'right',
      cell: (s) =>
        typeof s.coldStartMs === 'number' ? `${formatMs(s.coldStartMs)}${isSlowColdStart(s) ? ` ${SLOW_COLD_START_MARK}` : ''}` : '-',
    },
  ];
}

export function coldStartNote(steps: readonly StepReport[]): string {
  const slow = steps.filter(isSlowColdStart);
  if (slow.length === 0) return '';
  const cases = slow.map(
    (step) =>
      `batch ${step.batchSize}: ${formatMs(step.coldStartMs ?? 0)}, ${Math.round(coldStartFactor(step) ?? 0)}x its p50 inference ${formatMs(step.latencyMs.inference?.p50 ?? 0)}`,
  );
  return (
    `${SLOW_COLD_START_MARK} The first call at a new batch size took over ${SLOW_COLD_START_FACTOR}x the step's p50 (${cases.join('; ')}). ` +
    'A native or GPU backend pays this once per shape (graph and kernel set-up, cuDNN autotuning, PTX JIT): it was measured before the load and is not in the percentiles.'
  );
}
