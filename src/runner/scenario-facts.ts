/**
 * A scenario run's facts for report.json (the verdict is judged from them): while the drive runs,
 * when it ends, and after --resume, where the timeline is put back into scenario time.
 */
import { epochNowMs } from '../core/clock.js';
import type { ScenarioFacts } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import type { Step } from '../core/workload.js';
import type { ScenarioSpec } from '../core/scenario.js';
import type { ScenarioOutcome } from './types.js';

/**
 * A resumed scenario's timeline in scenario time: the interrupted run's windows up to the stage it
 * resumes at (the interrupted stage's own windows are measured again, so they go), then the new
 * windows shifted back by the pause, so every stage lines up with the plan for the verdict.
 */
export function resumedTimeline(earlier: ScenarioFacts, outcome: ScenarioOutcome, resumedAt: Step | undefined): Partial<ScenarioFacts> {
  // Every stage was already complete (interrupted while writing): nothing new to place.
  if (resumedAt === undefined)
    return {
      startedAtMs: earlier.startedAtMs,
      stagesRun: earlier.stagesRun,
      timeline: earlier.timeline,
      ...(earlier.pausedMs !== undefined && { pausedMs: earlier.pausedMs }),
    };
  const cutMs = earlier.startedAtMs + (resumedAt.profile?.offsetMs ?? 0);
  // Wall clock minus scenario time: every pause so far, earlier resumes included.
  const pausedMs = Math.max(0, outcome.startedAtMs - cutMs);
  const shifted = outcome.timeline.map((w) => ({ ...w, startMs: w.startMs - pausedMs, endMs: w.endMs - pausedMs }));
  return {
    startedAtMs: earlier.startedAtMs,
    stagesRun: resumedAt.index + outcome.stagesRun,
    timeline: [...earlier.timeline.filter((w) => w.endMs <= cutMs), ...shifted],
    pausedMs,
  };
}

export function scenarioFactsBase(
  scenario: ScenarioSpec,
  steps: readonly Step[],
): Omit<ScenarioFacts, 'startedAtMs' | 'stagesRun' | 'stoppedEarly' | 'timeline'> {
  const { kind, stage, batchSize, timeScale, loadScale, windowMs, stages } = scenario;
  return { kind, axis: steps[0]?.arrivals ? 'rate' : 'concurrency', stage, batchSize, timeScale, loadScale, windowMs, stages };
}

/** While the drive runs: the stages reported so far; the timeline comes when it ends. */
export function liveScenarioFacts(scenario: ScenarioSpec, steps: readonly Step[], reported: readonly StepReport[]): ScenarioFacts {
  const startedAtMs = reported[0]?.startedAtMs ?? epochNowMs();
  return {
    ...scenarioFactsBase(scenario, steps),
    startedAtMs,
    stagesRun: reported.filter((r) => r.complete).length,
    stoppedEarly: null,
    timeline: [],
  };
}
