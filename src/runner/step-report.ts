/** One report step from a step's measurements so far (one per repeat): merged exactly, spread kept. */
import { buildStepReport } from '../analysis/analyze-run.js';
import type { StepReport } from '../core/report/step.js';
import type { Budget, Step } from '../core/workload.js';
import { mergeMeasurements, mergeStability, repeatSpread } from './merge-repeats.js';
import type { StepRun } from './run-step.js';

export function repeatedStepReport(step: Step, runs: readonly StepRun[], budget: Budget, repeated: boolean): StepReport {
  const measurements = runs.map((run) => run.measurement);
  const last = runs[runs.length - 1];
  const cut = runs.find((run) => run.endedBy === 'aborted' || run.endedBy === 'maxDuration');
  const endedBy = (cut ?? last)?.endedBy;
  return buildStepReport(
    step,
    mergeMeasurements(measurements),
    budget,
    runs.every((run) => run.complete),
    last?.gpu ?? null,
    last?.openLoop ?? null,
    {
      stability: mergeStability(runs.map((run) => run.stability)),
      repeats: repeated ? repeatSpread(measurements) : null,
      requested: step.measure.requests === undefined ? null : step.measure.requests * runs.length,
      ...(last?.serverMetrics !== undefined && { serverMetrics: last.serverMetrics }),
      ...(endedBy !== undefined && { endedBy }),
      // The first pass's: later repeats call a shape the instances have already seen.
      coldStartMs: runs[0]?.coldStartMs ?? null,
    },
  );
}
