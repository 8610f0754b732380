/** --search: measure only the steps the adaptive search asks for, until every stage's search ends. */
import type { Step, Workload } from '../../core/workload.js';
import { runSearch } from '../run-search.js';
import { measureStep } from '../run-step.js';
import type { RunMode, RunSession } from '../run-mode.js';
import { repeatedStepReport } from '../step-report.js';

export const searchMode: RunMode = {
  incompleteStepIsPartial: true,
  async run({ workload, steps, context, record, stageBudgets, signal, finishStep, writeOutputs }: RunSession): Promise<boolean> {
    let searchesDone = 0;
    const searchCount = searchTotal(workload);
    await runSearch(workload, steps, {
      measure: async (template) => {
        if (signal?.aborted) return null;
        const step: Step = { ...template, index: record.steps.length };
        context.emit({ kind: 'step-start', step, of: steps.length, repeat: null });
        const run = await measureStep(step, context);
        const report = repeatedStepReport(step, [run], stageBudgets[step.stage], false);
        record.steps.push(report);
        await finishStep(step, report, true);
        return signal?.aborted ? null : report;
      },
      found: async (search) => {
        record.searches.push(search);
        searchesDone++;
        await writeOutputs(searchesDone < searchCount);
      },
    });
    return searchesDone === searchCount && !signal?.aborted;
  },
};

/** Searches a run makes: one per stage (open loop: per stage and batch size). */
function searchTotal(workload: Workload): number {
  return workload.load.kind === 'open' ? workload.stages.reduce((n, spec) => n + spec.batchSizes.length, 0) : workload.stages.length;
}
