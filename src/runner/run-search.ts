/**
 * A --search run: per stage, the largest batch size within the stage's budget (open loop: per
 * stage and batch size, the highest request rate), measuring only the steps the search asks for.
 * Each SearchReport counts what it cost against the full sweep of the same stage.
 */
import { measuredItems } from '../core/measurement.js';
import type { SearchReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';
import type { Step, Workload } from '../core/workload.js';
import { searchListed, searchRange, type SearchOutcome } from './search.js';

export interface SearchHooks {
  /** Measures one step (the hooks number it) and records it; null when the run was interrupted. */
  measure(template: Step): Promise<StepReport | null>;
  /** One search is over (or stopped): record its result. */
  found(report: SearchReport): Promise<void>;
}

/** The hooks' reports come judged against their stage's budget (StepReport.withinBudget). */
export async function runSearch(workload: Workload, planned: readonly Step[], hooks: SearchHooks): Promise<void> {
  for (const spec of workload.stages) {
    const stageSteps = planned.filter((step) => step.stage === spec.stage);
    const load = workload.load;
    if (load.kind === 'open') {
      for (const batchSize of spec.batchSizes) {
        const template = stageSteps.find((step) => step.batchSize === batchSize && step.arrivals !== null);
        if (template?.arrivals == null) continue;
        const arrivals = template.arrivals;
        const measured: StepReport[] = [];
        const rates = load.ratesPerSec;
        const outcome = await searchRange(Math.min(...rates), Math.max(...rates), async (ratePerSec) => {
          const report = await hooks.measure({ ...template, arrivals: { ...arrivals, ratePerSec } });
          if (report === null) return null;
          measured.push(report);
          return report.complete && report.withinBudget;
        });
        await hooks.found(searchReport(spec.stage, 'ratePerSec', outcome, measured, rates.length));
        if (!outcome.finished) return;
      }
    } else {
      const measured: StepReport[] = [];
      const outcome = await searchListed(spec.batchSizes, async (batchSize) => {
        let passed = false;
        // An incomplete step (errors, abandoned requests) is no pass. Every load level of the batch size; one within budget is enough for the batch size to pass.
        for (const template of stageSteps.filter((step) => step.batchSize === batchSize)) {
          const report = await hooks.measure(template);
          if (report === null) return null;
          measured.push(report);
          passed ||= report.complete && report.withinBudget;
        }
        return passed;
      });
      await hooks.found(searchReport(spec.stage, 'batchSize', outcome, measured, stageSteps.length));
      if (!outcome.finished) return;
    }
  }
}

function searchReport(
  stage: Step['stage'],
  axis: SearchReport['axis'],
  outcome: SearchOutcome,
  measured: readonly StepReport[],
  fullSweepSteps: number,
): SearchReport {
  const itemsMeasured = measured.reduce((total, step) => total + measuredItems(step), 0);
  const stepsRun = measured.length;
  return {
    stage,
    axis,
    answer: outcome.answer,
    stepsRun,
    fullSweepSteps,
    itemsMeasured,
    fullSweepItemsEstimate: stepsRun === 0 ? 0 : Math.round((itemsMeasured / stepsRun) * fullSweepSteps),
    tried: outcome.tried,
  };
}
