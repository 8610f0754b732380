/** A scenario's verdict from what the runner measured: one judge per kind. */
import type { HostReport } from '../core/report/telemetry.js';
import type { ScenarioFacts } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import type { Budget } from '../core/workload.js';
import type { ScenarioKind } from '../core/scenario.js';
import { judgeSoak } from './scenario-soak.js';
import { DEFAULT_RECOVERY_TARGET_MS, judgeSpike } from './scenario-spike.js';
import { judgeSteady } from './scenario-steady.js';
import { judgeStress } from './scenario-stress.js';
import type { ScenarioVerdict } from '../core/report/scenario-verdict.js';

export { DEFAULT_RECOVERY_TARGET_MS } from './scenario-spike.js';

export interface ScenarioInputs {
  readonly facts: ScenarioFacts;
  readonly steps: readonly StepReport[];
  readonly budget: Budget;
  readonly host: HostReport | null;
  readonly recoveryTargetMs: number;
}

const JUDGES = {
  steady: (i) => judgeSteady(i.facts, i.steps, i.budget),
  spike: (i) => judgeSpike(i.facts, i.recoveryTargetMs),
  soak: (i) => judgeSoak(i.facts, i.host),
  stress: (i) => judgeStress(i.facts, i.steps, i.budget),
} satisfies Record<ScenarioKind, (inputs: ScenarioInputs) => ScenarioVerdict>;

/**
 * `steps` are the run's steps: each stage's step is found by its profile's stageIndex. The spike's
 * recovery target lives in the workload's ScenarioSpec, not in the facts: pass
 * `workload.scenario.recoveryTargetMs` (the guide's 30 s when absent).
 */
export function judgeScenario(
  facts: ScenarioFacts,
  steps: readonly StepReport[],
  budget: Budget,
  host: HostReport | null,
  recoveryTargetMs: number = DEFAULT_RECOVERY_TARGET_MS,
): ScenarioVerdict {
  return JUDGES[facts.kind]({ facts, steps, budget, host, recoveryTargetMs });
}
