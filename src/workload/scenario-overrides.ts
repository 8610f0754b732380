/**
 * Scaling a scenario: the same preset file runs as a CI smoke and as the real thing. Durations
 * (and the window, floor 250 ms, and the recovery target) are multiplied by the time scale, targets
 * by the load scale. A scenario workload carries the stages as written beside the scaled spec, so
 * scaling always starts from the file and applies once: flags REPLACE the file's scales, they do
 * not multiply them. Pure: touches no files.
 */
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { DEFAULTS, defaultMaxNewTokens } from './defaults.js';
import { MAX_SCALE, MIN_WINDOW_MS, scaleLevel, withoutFloatNoise } from './scenario-schema.js';
import { LIMITS } from './schema.js';
import { TARGET_LIMITS } from './target-schema.js';
import { type ArrivalProcess, type LoadSpec, type StageSpec, type Workload } from '../core/workload.js';
import {
  SCENARIO_KINDS,
  SCHEDULE_PRESETS,
  type ScenarioAsWritten,
  type ScenarioKind,
  type ScenarioSpec,
  type ScenarioStageSpec,
  type SchedulePreset,
} from '../core/scenario.js';

export type ScenarioWorkload = Workload & { readonly scenario: ScenarioSpec; readonly scenarioAsWritten: ScenarioAsWritten };

export interface Scales {
  readonly timeScale: number;
  readonly loadScale: number;
}

/** How long each schedule runs the scenario in total; null = as written (time scale 1). */
export const SCHEDULE_TOTAL_MS = {
  'pr-smoke': 5 * 60_000,
  daily: 30 * 60_000,
  weekly: null,
} as const satisfies Record<SchedulePreset, number | null>;

export interface ScenarioOverrides {
  readonly timeScale?: number;
  readonly loadScale?: number;
  readonly schedule?: SchedulePreset;
}

const SCENARIO_OVERRIDES = ['timeScale', 'loadScale', 'schedule'] as const satisfies readonly (keyof ScenarioOverrides)[];

/** The stages as written, end to end. */
export function writtenTotalMs(scenario: Pick<ScenarioAsWritten, 'stages'>): number {
  return scenario.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}

/** The time scale a schedule runs the scenario at: its total shrunk to the schedule's length, never stretched. */
export function scheduleTimeScale(scenario: Pick<ScenarioAsWritten, 'stages'>, schedule: SchedulePreset): number {
  const totalMs = SCHEDULE_TOTAL_MS[schedule];
  const writtenMs = writtenTotalMs(scenario);
  if (totalMs === null || writtenMs <= totalMs) return 1;
  return totalMs / writtenMs;
}

/**
 * The scenario at the given scales. `where` names what set them (a flag, or the file's field), for
 * the error when a scaled target leaves its range.
 */
export function scaleScenario(written: ScenarioAsWritten, scales: Scales, where: string): ScenarioSpec {
  const open = written.axis === 'rate';
  const maxLevel = open ? TARGET_LIMITS.maxRatePerSec : LIMITS.maxConcurrency;
  const stages = written.stages.map((stage): ScenarioStageSpec => {
    const target = scaleLevel(stage.target, scales.loadScale, open);
    if (target > maxLevel) {
      throw new InputError(
        where,
        `expected a load scale that keeps every target within ${maxLevel}, got ${scales.loadScale} (stage "${stage.name}" would be ${target})`,
      );
    }
    return { name: stage.name, durationMs: withoutFloatNoise(stage.durationMs * scales.timeScale), target };
  });
  return {
    kind: written.kind,
    stage: written.stage,
    batchSize: written.batchSize,
    stages,
    timeScale: scales.timeScale,
    loadScale: scales.loadScale,
    windowMs: Math.max(MIN_WINDOW_MS, withoutFloatNoise(written.windowMs * scales.timeScale)),
    recoveryTargetMs: withoutFloatNoise(written.recoveryTargetMs * scales.timeScale),
    stopAfterBreak: written.stopAfterBreak,
  };
}

/** The distinct levels above 0 the scenario reaches, ascending: the load levels its sweep fields list. */
export function scenarioLevels(spec: Pick<ScenarioSpec, 'stages'>): number[] {
  return [...new Set(spec.stages.map((stage) => stage.target).filter((level) => level > 0))].sort((a, b) => a - b);
}

/**
 * Workload.load for a scenario: closed, or open at the scenario's levels (the stages, not this
 * list, set the rate; the list keeps the contract's "rates in use" meaning for readers of a Workload).
 */
export function scenarioLoad(
  spec: ScenarioSpec,
  open: { readonly arrivals: ArrivalProcess; readonly maxInFlight: number | null } | null,
): LoadSpec {
  if (open === null) return { kind: 'closed' };
  return { kind: 'open', arrivals: open.arrivals, ratesPerSec: scenarioLevels(spec), maxInFlight: open.maxInFlight };
}

/**
 * Workload.stages for a scenario: its one stage at its batch size, dynamic batching, the levels it
 * reaches as concurrency (closed loop). Keeps `tokens` settings given (flags may have changed them).
 */
export function scenarioStageSpec(
  spec: ScenarioSpec,
  closed: boolean,
  kept: Pick<StageSpec, 'maxQueueDelayMs' | 'maxNewTokens'> | undefined,
  http: boolean,
): StageSpec {
  return {
    stage: spec.stage,
    mode: 'dynamic',
    batchSizes: [spec.batchSize],
    concurrency: closed ? scenarioLevels(spec) : 'auto',
    maxQueueDelayMs: kept?.maxQueueDelayMs ?? DEFAULTS.maxQueueDelayMs,
    maxNewTokens: kept === undefined ? defaultMaxNewTokens(http) : kept.maxNewTokens,
  };
}

/** The scenario as written: carried by resolved workloads; else recovered from the scaled spec (durations exact, rounded targets approximate). */
export function scenarioAsWrittenOf(workload: Workload & { readonly scenario: ScenarioSpec }): ScenarioAsWritten {
  const carried = workload.scenarioAsWritten;
  if (carried !== undefined) return carried;
  const spec = workload.scenario;
  const open = workload.load.kind === 'open';
  return {
    ...spec,
    axis: open ? 'rate' : 'concurrency',
    stages: spec.stages.map((stage) => ({
      name: stage.name,
      durationMs: stage.durationMs / spec.timeScale,
      target: open ? stage.target / spec.loadScale : Math.round(stage.target / spec.loadScale),
    })),
    windowMs: spec.windowMs / spec.timeScale,
    recoveryTargetMs: spec.recoveryTargetMs / spec.timeScale,
  };
}

/** A resolved scenario workload: the scaled spec, the load and stage fields it implies, and the stages as written. */
export function withScenario(workload: Workload, written: ScenarioAsWritten, scales: Scales, where: string): ScenarioWorkload {
  const scenario = scaleScenario(written, scales, where);
  const kept = workload.stages.find((spec) => spec.stage === scenario.stage);
  const load = workload.load;
  const open = load.kind === 'open' ? { arrivals: load.arrivals, maxInFlight: load.maxInFlight } : null;
  return {
    ...workload,
    scenario,
    scenarioAsWritten: written,
    load: scenarioLoad(scenario, open),
    stages: [scenarioStageSpec(scenario, open === null, kept, workload.target.kind === 'http')],
  };
}

/**
 * The time scale, load scale and schedule (--time-scale, --load-scale, --schedule) over a loaded
 * workload. Each replaces the file's own scale (one absent keeps the scale in effect); a time scale
 * and a schedule both set the time scale, so together they are an error.
 */
export function applyScenarioOverrides(workload: Workload, overrides: ScenarioOverrides, names: OverrideNames = FIELD_NAMES): Workload {
  const given = SCENARIO_OVERRIDES.filter((key) => overrides[key] !== undefined);
  if (given.length === 0) return workload;
  const first = names[given[0] as keyof ScenarioOverrides];
  if (overrides.timeScale !== undefined && overrides.schedule !== undefined) {
    throw new InputError(
      names.timeScale,
      `expected ${names.timeScale} or ${names.schedule}, not both (each sets the time scale), got ${names.timeScale} ${overrides.timeScale} and ${names.schedule} ${overrides.schedule}`,
    );
  }
  checkScale(names.timeScale, overrides.timeScale);
  checkScale(names.loadScale, overrides.loadScale);
  if (overrides.schedule !== undefined) parseScheduleFlag(overrides.schedule, names.schedule);
  const scenario = workload.scenario;
  if (scenario === undefined) {
    throw new InputError(
      first,
      `expected a workload with a scenario (such as ${names.scenario} spike), got workload "${workload.name}", a sweep without one`,
    );
  }
  const written = scenarioAsWrittenOf({ ...workload, scenario });
  const timeScale =
    overrides.timeScale ?? (overrides.schedule === undefined ? scenario.timeScale : scheduleTimeScale(written, overrides.schedule));
  const loadScale = overrides.loadScale ?? scenario.loadScale;
  const where = overrides.loadScale !== undefined ? names.loadScale : first;
  return withScenario(workload, written, { timeScale, loadScale }, where);
}

function checkScale(flag: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0 && value <= MAX_SCALE)) {
    throw new InputError(flag, `expected a factor above 0 and up to ${MAX_SCALE} such as 0.1, got ${value}`);
  }
}

/** A scale flag's text ("0.1", "2") as a factor; the error names the flag. */
export function parseScaleFlag(flag: string, raw: string): number {
  const value = /^\s*\d+(?:\.\d+)?(?:e-?\d+)?\s*$/i.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isFinite(value) && value > 0 && value <= MAX_SCALE)) {
    throw new InputError(flag, `expected a factor above 0 and up to ${MAX_SCALE} such as 0.1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseScheduleFlag(raw: string, where: string): SchedulePreset {
  if ((SCHEDULE_PRESETS as readonly string[]).includes(raw)) return raw as SchedulePreset;
  throw new InputError(where, `expected one of ${SCHEDULE_PRESETS.join(', ')}, got ${JSON.stringify(raw)}`);
}

export function parseScenarioFlag(raw: string, where: string): ScenarioKind {
  if ((SCENARIO_KINDS as readonly string[]).includes(raw)) return raw as ScenarioKind;
  throw new InputError(where, `expected one of ${SCENARIO_KINDS.join(', ')}, got ${JSON.stringify(raw)}`);
}

/** The built-in preset file --scenario <kind> loads: workloads/<kind>.yaml. */
export function scenarioPresetPath(kind: ScenarioKind): string {
  return join(PACKAGE_ROOT, 'workloads', `${kind}.yaml`);
}
