/**
 * The YAML form of `scenario:` (issue 7): load as k6-style stages over time instead of a sweep.
 * Same rules as schema.ts: strict objects, "expected X, got Y", units converted, defaults left to
 * resolve. What depends on the rest of the workload (closed loop: whole targets; the sweep fields a
 * scenario replaces) is checked by `checkScenarioWorkload`, which schema.ts calls.
 */
import { z } from 'zod';
import { STAGES } from '../core/stage.js';
import { choice, durationMs, expected, intBetween, scalar, strictObject, text } from './schema-kit.js';
import { TARGET_LIMITS, type LoadYaml } from './target-schema.js';
import { parseDurationMs } from './units.js';
import { SCENARIO_KINDS } from '../core/scenario.js';

/** Timeline windows shorter than this hold too few samples for a p95; scaling never goes below it. */
export const MIN_WINDOW_MS = 250;
export const SCENARIO_DEFAULTS = {
  /** In process: the batcher's maximum; a few items per model call without much queueing. */
  batchSize: 8,
  /** HTTP: one text per request, as for sweeps. */
  httpBatchSize: 1,
  windowMs: 1000,
  /** The guide's spike recovery target. */
  recoveryTargetMs: 30_000,
  /** stress: one breaking stage is enough to name the breaking point. */
  stopAfterBreak: 1,
  timeScale: 1,
  loadScale: 1,
} as const;
/** Bounds on a scale factor: above 0; a scenario stretched or loaded 1000-fold is surely a typo. */
export const MAX_SCALE = 1000;
export const MAX_SCENARIO_STAGES = 1000;

const scale = scalar(`a factor above 0 and up to ${MAX_SCALE} such as 0.1 or 1`, (raw) =>
  typeof raw === 'number' && Number.isFinite(raw) && raw > 0 && raw <= MAX_SCALE ? raw : undefined,
);

/** The bounds schema.ts sets for every workload (its LIMITS), passed in so neither file imports the other. */
export interface ScenarioLimits {
  readonly maxBatchSize: number;
  readonly maxConcurrency: number;
}

const target = scalar('a load level >= 0 (requests in flight, or requests per second with open-loop load)', (raw) =>
  typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : undefined,
);

const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const ScenarioStageYamlSchema = strictObject({
  name: text('a stage name such as ramp-up, hold or spike').regex(STAGE_NAME, {
    error: expected('a stage name of letters, digits, ".", "_" and "-" such as spike-up'),
  }),
  duration: durationMs(),
  target,
});

const scenarioStages = z
  .array(ScenarioStageYamlSchema, { error: expected('a list of stages such as [{ name: hold, duration: 1m, target: 50 }]') })
  .min(1, { error: expected('at least one stage') })
  .max(MAX_SCENARIO_STAGES, { error: expected(`at most ${MAX_SCENARIO_STAGES} stages`) })
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((stage, index) => {
      const earlier = seen.get(stage.name);
      if (earlier === undefined) seen.set(stage.name, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          input: stage.name,
          message: `expected unique stage names, got "${stage.name}" again (already stages[${earlier}])`,
        });
    });
    if (list.length > 0 && list.every((stage) => stage.target === 0)) {
      ctx.addIssue({
        code: 'custom',
        input: list,
        message: 'expected at least one stage with a target above 0, got a hold at 0 for the whole scenario',
      });
    }
  });

const windowMs = scalar(`a duration of at least ${MIN_WINDOW_MS}ms such as "1s"`, (raw) => {
  const ms = parseDurationMs(raw);
  return ms !== undefined && ms >= MIN_WINDOW_MS ? ms : undefined;
});

const stopAfterBreak = z.union([intBetween(1, MAX_SCENARIO_STAGES), z.null()], {
  error: expected(`a number of stages from 1 to ${MAX_SCENARIO_STAGES}, or null (run every stage)`),
});

export function scenarioYamlSchema(limits: ScenarioLimits) {
  return strictObject({
    kind: choice(SCENARIO_KINDS),
    stage: choice(STAGES),
    batchSize: intBetween(1, limits.maxBatchSize, `a batch size, an integer from 1 to ${limits.maxBatchSize}`).optional(),
    window: windowMs.optional(),
    recoveryTarget: durationMs().optional(),
    stopAfterBreak: stopAfterBreak.optional(),
    timeScale: scale.optional(),
    loadScale: scale.optional(),
    stages: scenarioStages,
  }).superRefine((scenario, ctx) => {
    if (scenario.recoveryTarget !== undefined && scenario.kind !== 'spike') {
      ctx.addIssue({
        code: 'custom',
        path: ['recoveryTarget'],
        input: scenario.recoveryTarget,
        message: `expected no recoveryTarget on a ${scenario.kind} scenario (it is for spike), got one`,
      });
    }
    if (scenario.stopAfterBreak !== undefined && scenario.stopAfterBreak !== null && scenario.kind !== 'stress') {
      ctx.addIssue({
        code: 'custom',
        path: ['stopAfterBreak'],
        input: scenario.stopAfterBreak,
        message: `expected no stopAfterBreak on a ${scenario.kind} scenario (it is for stress), got ${scenario.stopAfterBreak}`,
      });
    }
  });
}

export type ScenarioYaml = z.output<ReturnType<typeof scenarioYamlSchema>>;

/** What the rest of a workload may say beside a scenario; the issues go to the workload's superRefine. */
export interface ScenarioWorkloadFields {
  readonly scenario: ScenarioYaml;
  readonly load?: LoadYaml;
  readonly stages?: unknown;
  readonly measure?: unknown;
  readonly search?: boolean;
  readonly repeat?: number;
  readonly stability?: false | object;
}

export interface FieldIssue {
  readonly path: readonly (string | number)[];
  readonly input: unknown;
  readonly message: string;
}

/** Drops float noise from scaling (0.1 x 3 = 0.30000000000000004) without rounding a small value to 0. */
export function withoutFloatNoise(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * A stage target times the load scale. Requests in flight are whole and at least 1, except that an
 * explicit 0 stays 0 (ramps to and from 0 are real); rates keep their decimals.
 */
export function scaleLevel(target: number, loadScale: number, open: boolean): number {
  if (open) return withoutFloatNoise(target * loadScale);
  return target === 0 ? 0 : Math.max(1, Math.round(target * loadScale));
}

/** Open loop (requests per second) when `load.arrivals` is constant or poisson. */
export function isOpenLoad(load: LoadYaml | undefined): boolean {
  return load?.arrivals !== undefined && load.arrivals !== 'closed';
}

/** The sweep fields a scenario replaces, the load it needs, and whole targets in a closed loop. */
export function checkScenarioWorkload(workload: ScenarioWorkloadFields, limits: ScenarioLimits): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const replaced = {
    stages: 'the scenario drives its own stage (scenario.stage) at scenario.batchSize; remove the stages sweep',
    measure: 'each scenario stage measures for its own duration',
  } as const;
  for (const [field, why] of Object.entries(replaced) as [keyof typeof replaced, string][]) {
    if (workload[field] !== undefined)
      issues.push({ path: [field], input: workload[field], message: `expected no ${field} with a scenario (${why}), got one` });
  }
  if (workload.search === true)
    issues.push({ path: ['search'], input: true, message: 'expected no search with a scenario (its stages set the load), got true' });
  if (workload.repeat !== undefined && workload.repeat > 1) {
    issues.push({ path: ['repeat'], input: workload.repeat, message: `expected 1 (or no repeat) with a scenario, got ${workload.repeat}` });
  }
  if (workload.stability !== undefined && workload.stability !== false) {
    issues.push({
      path: ['stability'],
      input: workload.stability,
      message:
        'expected false (or no stability) with a scenario: its stages run back to back for their set durations, so a step is never extended to settle; got settings',
    });
  }
  const load = workload.load;
  if (load?.rates !== undefined) {
    issues.push({
      path: ['load', 'rates'],
      input: load.rates,
      message: 'expected no rates with a scenario (its stage targets are the rates under open-loop arrivals), got a list',
    });
  }
  const open = isOpenLoad(load);
  if (!open && load?.maxInFlight !== undefined) {
    issues.push({
      path: ['load', 'maxInFlight'],
      input: load.maxInFlight,
      message: `expected no maxInFlight with closed-loop arrivals (it caps an open loop), got ${load.maxInFlight}`,
    });
  }
  const maxLevel = open ? TARGET_LIMITS.maxRatePerSec : limits.maxConcurrency;
  const loadScale = workload.scenario.loadScale ?? SCENARIO_DEFAULTS.loadScale;
  let scaleReported = false;
  workload.scenario.stages.forEach((stage, index) => {
    const where = ['scenario', 'stages', index, 'target'];
    if (!open && !(Number.isInteger(stage.target) && stage.target <= maxLevel)) {
      issues.push({
        path: where,
        input: stage.target,
        message: `expected an integer from 0 to ${maxLevel} (requests in flight: the load is closed-loop), got ${stage.target}`,
      });
    } else if (open && stage.target > maxLevel) {
      issues.push({
        path: where,
        input: stage.target,
        message: `expected a rate from 0 to ${maxLevel} requests per second, got ${stage.target}`,
      });
    } else if (!scaleReported && scaleLevel(stage.target, loadScale, open) > maxLevel) {
      scaleReported = true;
      issues.push({
        path: ['scenario', 'loadScale'],
        input: loadScale,
        message: `expected a load scale that keeps every target within ${maxLevel}, got ${loadScale} (stages[${index}] would be ${scaleLevel(stage.target, loadScale, open)})`,
      });
    }
  });
  return issues;
}
