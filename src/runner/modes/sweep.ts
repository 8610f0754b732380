/** The plain sweep: every planned step in order, `repeat` times over (histograms merged per step). */
import type { StepRun } from '../run-step.js';
import { measureStep } from '../run-step.js';
import type { RunMode, RunSession } from '../run-mode.js';
import { repeatedStepReport } from '../step-report.js';
import { sweepCapWarning, withSweepCap } from '../sweep-budget.js';

export const sweepMode: RunMode = {
  incompleteStepIsPartial: true,
  async run({ steps, signoff, context, record, stageBudgets, firstIndex, signal, finishStep }: RunSession): Promise<boolean> {
    const runs: StepRun[][] = steps.map(() => []);
    let allMeasured = firstIndex >= steps.length;
    for (let repeat = 1; repeat <= signoff.repeat; repeat++) {
      // measure.maxSweepDuration caps each pass of the sweep (a repeat gets its own).
      const startedMs = context.clock();
      for (const step of steps.slice(firstIndex)) {
        if (signal?.aborted) return allMeasured;
        context.emit({ kind: 'step-start', step, of: steps.length * signoff.repeat, repeat: signoff.repeat > 1 ? repeat : null });
        const stepRuns = runs[step.index] ?? [];
        const capped = withSweepCap(step, context.clock() - startedMs, steps.length - 1 - step.index);
        const stepRun = await measureStep(capped, context);
        stepRuns.push(stepRun);
        if (capped !== step && stepRun.endedBy === 'maxDuration') {
          context.warn(sweepCapWarning(step, capped.measure.maxDurationMs, signoff.repeat > 1 ? repeat : null));
        }
        const report = repeatedStepReport(step, stepRuns, stageBudgets[step.stage], signoff.repeat > 1);
        record.steps[step.index] = report;
        const last = repeat === signoff.repeat && step.index === steps.length - 1;
        await finishStep(step, report, !last);
        allMeasured = last;
      }
    }
    return allMeasured;
  },
};
