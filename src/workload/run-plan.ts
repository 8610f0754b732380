/**
 * The run plan, resolved once at the edge: a loaded workload with every override applied, in one
 * typed object (the workload's own fields and target, its sign-off settings, its scenario scales).
 * Library code reads fields from it; only the edge knows which flag set which field.
 */
import type { Workload } from '../core/workload.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { applyOverrides, type WorkloadOverrides } from './overrides.js';
import { applyScenarioOverrides, type ScenarioOverrides } from './scenario-overrides.js';
import { applySignoffOverrides, type SignoffOverrides } from './signoff.js';
import { applyServerOverrides, type ServerOverrides } from './server-overrides.js';
import { applyWorkerOverrides, type WorkerOverrides } from './workers.js';

export type RunOverrides = WorkloadOverrides & SignoffOverrides & ScenarioOverrides & ServerOverrides & WorkerOverrides;

/** Errors name each override as `names` spells it: the CLI passes its flag table, a library caller gets `overrides.<field>`. */
export function resolveRunPlan(base: Workload, overrides: RunOverrides, names: OverrideNames = FIELD_NAMES): Workload {
  const withOwnFields = applyServerOverrides(applyOverrides(base, overrides, names), overrides, names);
  const planned = applyScenarioOverrides(applySignoffOverrides(withOwnFields, overrides, names), overrides, names);
  return applyWorkerOverrides(planned, overrides, names);
}
