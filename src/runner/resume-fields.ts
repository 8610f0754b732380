/**
 * What a resumed run must share with the run it continues: everything that decides what a step
 * measures (the planned steps, the models and backend asked for, the target, the seed and corpus
 * that pick the prompts). Budgets are not here: a kept step is re-judged under the new budget.
 * The workload's source file is not either: the same plan from a copied file resumes fine.
 */
import { canonicalJson } from '../analysis/comparable.js';
import { planSteps } from '../workload/plan.js';
import type { StageSpec, Step, Workload } from '../core/workload.js';
import type { ScenarioSpec } from '../core/scenario.js';

/** The first field that differs; values are JSON text, ready to print. */
export interface ResumeDifference {
  readonly field: string;
  readonly previous: string;
  readonly now: string;
}

type Fields = ReadonlyMap<string, unknown>;

const STAGE_FIELDS = [
  'mode',
  'batchSizes',
  'concurrency',
  'maxQueueDelayMs',
  'maxNewTokens',
] as const satisfies readonly (keyof StageSpec)[];
/** A scenario's fields that change the drive; recoveryTargetMs only changes the verdict, re-judged anyway. */
const SCENARIO_FIELDS = [
  'kind',
  'stage',
  'batchSize',
  'timeScale',
  'loadScale',
  'stages',
  'windowMs',
  'stopAfterBreak',
] as const satisfies readonly (keyof ScenarioSpec)[];
const STEP_FIELDS = [
  'stage',
  'mode',
  'batchSize',
  'concurrency',
  'arrivals',
  'maxQueueDelayMs',
  'maxNewTokens',
  'warmup',
  'measure',
  'profile',
] as const satisfies readonly (keyof Step)[];

/**
 * The fields as the user wrote them come first (`workload.stages[classify].batchSizes` says more
 * than `steps[1].batchSize`); the planned steps follow, so nothing the plan measures escapes.
 */
function resumeFields(workload: Workload): Fields {
  const fields = new Map<string, unknown>([
    ['workload.seed', workload.seed],
    ['workload.corpus', workload.corpus],
    ['workload.models', workload.models],
    ['workload.engine.backend', workload.engine.backend],
    ['workload.engine.instances', workload.engine.instances],
    ...targetFields(workload),
    ['workload.scenario', workload.scenario === undefined ? 'none' : 'present'],
  ]);
  if (workload.scenario === undefined) {
    fields.set(
      'workload.stages',
      workload.stages.map((spec) => spec.stage),
    );
    for (const spec of workload.stages) {
      for (const name of STAGE_FIELDS) fields.set(`workload.stages[${spec.stage}].${name}`, spec[name]);
    }
    fields.set('workload.load', workload.load);
  } else {
    for (const name of SCENARIO_FIELDS) fields.set(`workload.scenario.${name}`, workload.scenario[name]);
    // Under a scenario the load only says open or closed (and the in-flight cap); the levels are the stages'.
    fields.set('workload.load.kind', workload.load.kind);
  }
  fields.set('workload.warmup', workload.warmup);
  fields.set('workload.measure', workload.measure);
  const steps = planSteps(workload);
  fields.set('steps (planned count)', steps.length);
  for (const step of steps) {
    for (const name of STEP_FIELDS) fields.set(`steps[${step.index}].${name}`, step[name]);
  }
  return fields;
}

/** Headers and auth are left out: report.json redacts header values, and neither changes the plan. */
function targetFields(workload: Workload): [string, unknown][] {
  const target = workload.target;
  if (target.kind !== 'http') return [['workload.target.kind', target.kind]];
  // A server sweep's report holds the port its servers were launched on; each run picks its own.
  const url = (value: string): string => (workload.server === undefined ? value : withoutPort(value));
  return [
    ['workload.target.kind', target.kind],
    ['workload.target.url', url(target.url)],
    [
      'workload.target.endpoints',
      Object.fromEntries(
        Object.entries(target.endpoints).map(([stage, endpoint]) => [stage, endpoint === undefined ? endpoint : url(endpoint)]),
      ),
    ],
    ['workload.server', workload.server ?? 'none'],
    ['workload.target.protocol', target.protocol],
    ['workload.target.options', target.options],
  ];
}

function withoutPort(value: string): string {
  const parsed = new URL(value);
  parsed.port = '';
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** The first field (in the order above) whose value differs between the runs; null when none does. */
export function firstResumeDifference(previous: Workload, now: Workload): ResumeDifference | null {
  const before = resumeFields(previous);
  const after = resumeFields(now);
  for (const [field, value] of after) {
    const previousText = before.has(field) ? canonicalJson(before.get(field)) : 'nothing';
    const nowText = canonicalJson(value);
    if (previousText !== nowText) return { field, previous: previousText, now: nowText };
  }
  // A field only the previous run had (a stage or step it planned and this run does not).
  for (const [field, value] of before) {
    if (!after.has(field)) return { field, previous: canonicalJson(value), now: 'nothing' };
  }
  return null;
}
