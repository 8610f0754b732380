/**
 * A scenario (workload `scenario:`): its load stages as one continuous drive. Between stages only
 * report.json is written (the next stage is already under load, and the charts of report.html take
 * the main thread for a second or more, which would show up as latency); every output is written
 * when the drive ends. The drive is whole when it ended on its own: a stress run may stop past its
 * breaking point, and a stage may complete nothing by design.
 */
import { epochNowMs } from '../../core/clock.js';
import type { Step } from '../../core/workload.js';
import type { ScenarioSpec } from '../../core/scenario.js';
import type { RunMode, RunSession } from '../run-mode.js';
import { runScenario } from '../run-scenario.js';
import type { StepRun } from '../run-step.js';
import { liveScenarioFacts, resumedTimeline, scenarioFactsBase } from '../scenario-facts.js';
import { repeatedStepReport } from '../step-report.js';
import type { ScenarioOutcome } from '../types.js';

export function scenarioMode(scenario: ScenarioSpec): RunMode {
  return {
    incompleteStepIsPartial: false,
    async run({ steps, context, record, stageBudgets, firstIndex, resume, signal, finishStep }: RunSession): Promise<boolean> {
      const earlier = resume?.previous.scenario ?? null;
      record.scenario = liveScenarioFacts(scenario, steps, record.steps);
      const toRun = steps.slice(firstIndex);
      const stageDone = async (step: Step, run: StepRun): Promise<void> => {
        const report = repeatedStepReport(step, [run], stageBudgets[step.stage], false);
        record.steps.push(report);
        record.scenario = liveScenarioFacts(scenario, steps, record.steps);
        await finishStep(step, report, true, true);
      };
      const outcome: ScenarioOutcome =
        toRun.length === 0
          ? { startedAtMs: earlier?.startedAtMs ?? epochNowMs(), stagesRun: 0, stoppedEarly: null, timeline: [] }
          : await runScenario(scenario, toRun, context, stageBudgets[scenario.stage], { stageDone });
      record.scenario = {
        ...scenarioFactsBase(scenario, steps),
        ...outcome,
        ...(earlier && resumedTimeline(earlier, outcome, steps[firstIndex])),
      };
      return !signal?.aborted;
    },
  };
}
