/**
 * `pipebench run`'s flag values as typed overrides: each flag parsed and checked here, so a bad
 * value names its flag (through RUN_FLAGS); the workload modules apply them.
 */
import { STAGES, type Stage } from '../core/stage.js';
import { InputError } from '../errors.js';
import type { RunOverrides } from '../workload/run-plan.js';
import { MAX_REPEAT, MAX_STABILITY_WINDOWS, type SignoffOverrides } from '../workload/signoff.js';
import { parseScaleFlag, parseScheduleFlag, type ScenarioOverrides } from '../workload/scenario-overrides.js';
import type { TargetOverrides } from '../workload/target-overrides.js';
import type { ServerOverrides } from '../workload/server-overrides.js';
import { HTTP_DEFAULTS } from '../workload/defaults.js';
import { parseWorkerCount, WORKERS_EXPECTED, type WorkerOverrides } from '../workload/workers.js';
import { PROTOCOL_NAMES, type ArrivalProcess } from '../core/workload.js';
import { parseChoiceFlag, parseDurationFlag, parseIntFlag, parseIntListFlag, parseNumberListFlag, parseRatioFlag } from './flags.js';
import { BACKENDS, RUN_FLAGS, type RunFlags } from './run-flags.js';

const F = RUN_FLAGS;

const ARRIVAL_PROCESSES = ['constant', 'poisson'] as const satisfies readonly ArrivalProcess[];

/** Sweep flags: a scenario's load stages set its load, so these would be silently ignored there. */
const SWEEP_ONLY_FLAGS = [
  ['batchSizes', F.batchSizes],
  ['stages', F.stages],
  ['stage', '--stage'],
  ['requests', F.requests],
  ['duration', F.durationMs],
  ['precision', F.precision],
  ['concurrency', F.concurrency],
  ['rate', F.ratesPerSec],
  ['search', F.search],
  ['repeat', F.repeat],
] as const satisfies readonly (readonly [keyof RunFlags, string])[];

export function refuseSweepFlags(flags: RunFlags, workloadName: string): void {
  for (const [key, flag] of SWEEP_ONLY_FLAGS) {
    if (flags[key] !== undefined) {
      throw new InputError(
        flag,
        `has no effect on scenario workload "${workloadName}": its load stages set the load (use ${F.timeScale}, ${F.loadScale} or ${F.schedule})`,
      );
    }
  }
}

/**
 * Every run-plan flag as typed overrides.
 * @param builtinHttp the run uses the built-in HTTP workload (--target with no file): its stages
 *   follow --protocol (openai: generate only) unless --stage or --stages chose them.
 */
export function runOverridesFromFlags(flags: RunFlags, builtinHttp: boolean): RunOverrides {
  return {
    ...overridesFromFlags(flags, builtinHttp),
    ...signoffOverridesFromFlags(flags),
    ...scenarioOverridesFromFlags(flags),
    ...serverOverridesFromFlags(flags),
    ...workerOverridesFromFlags(flags),
  };
}

function workerOverridesFromFlags(flags: RunFlags): WorkerOverrides {
  if (flags.workers === undefined) return {};
  const workers = parseWorkerCount(flags.workers.trim());
  if (workers === undefined) throw new InputError(F.workers, `expected ${WORKERS_EXPECTED}, got "${flags.workers}"`);
  return { workers };
}

function serverOverridesFromFlags(flags: RunFlags): ServerOverrides {
  const params = (flags.serverParam ?? []).map((raw): [string, number[]] => {
    const match = /^\s*([^=\s]+)\s*=\s*(\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)*)\s*$/.exec(raw);
    if (!match?.[1] || !match[2]) throw new InputError(F.serverParams, `expected name=values such as maxBatchSize=1,8,32, got "${raw}"`);
    return [match[1], match[2].split(',').map((value) => Number(value.trim()))];
  });
  return {
    ...(flags.serverLaunch !== undefined && { serverLaunch: flags.serverLaunch }),
    ...(params.length > 0 && { serverParams: Object.fromEntries(params) }),
    ...(flags.serverHealth !== undefined && { serverHealth: flags.serverHealth }),
  };
}

function scenarioOverridesFromFlags(flags: RunFlags): ScenarioOverrides {
  return {
    ...(flags.timeScale !== undefined && { timeScale: parseScaleFlag(F.timeScale, flags.timeScale) }),
    ...(flags.loadScale !== undefined && { loadScale: parseScaleFlag(F.loadScale, flags.loadScale) }),
    ...(flags.schedule !== undefined && { schedule: parseScheduleFlag(flags.schedule, F.schedule) }),
  };
}

function overridesFromFlags(flags: RunFlags, builtinHttp: boolean): RunOverrides {
  if (flags.stage !== undefined && flags.stages !== undefined) throw new InputError('--stage', `expected --stage or ${F.stages}, got both`);
  const target = targetOverridesFromFlags(flags);
  const stages =
    flags.stage !== undefined
      ? [parseChoiceFlag<Stage>('--stage', flags.stage.trim(), STAGES)]
      : (flags.stages?.split(',').map((s) => parseChoiceFlag<Stage>(F.stages, s.trim(), STAGES)) ??
        (builtinHttp && target.protocol !== undefined ? HTTP_DEFAULTS.stages[target.protocol] : undefined));
  return {
    ...target,
    ...(flags.batchSizes !== undefined && { batchSizes: parseIntListFlag(F.batchSizes, flags.batchSizes, 1, 4096) }),
    ...(stages && { stages }),
    ...(flags.backend !== undefined && { backend: parseChoiceFlag(F.backend, flags.backend, BACKENDS) }),
    ...(flags.instances !== undefined && { instances: parseIntFlag(F.instances, flags.instances, 1, 64) }),
    ...(flags.requests !== undefined && { requests: parseIntFlag(F.requests, flags.requests) }),
    ...(flags.duration !== undefined && { durationMs: parseDurationFlag(F.durationMs, flags.duration) }),
    ...(flags.precision !== undefined && { precision: parseRatioFlag(F.precision, flags.precision) }),
    ...(flags.warmup !== undefined && { warmupRequests: parseIntFlag(F.warmupRequests, flags.warmup, 0) }),
    ...(flags.maxNewTokens !== undefined && { maxNewTokens: parseIntFlag(F.maxNewTokens, flags.maxNewTokens, 1, 1024) }),
    ...(flags.seed !== undefined && { seed: parseIntFlag(F.seed, flags.seed, 0) }),
    ...(flags.p95 !== undefined && { p95Ms: parseDurationFlag(F.p95Ms, flags.p95) }),
    ...(flags.p99 !== undefined && { p99Ms: parseDurationFlag(F.p99Ms, flags.p99) }),
    ...(flags.maxErrorRate !== undefined && { maxErrorRate: parseRatioFlag(F.maxErrorRate, flags.maxErrorRate) }),
  };
}

function signoffOverridesFromFlags(flags: RunFlags): SignoffOverrides {
  return {
    ...(flags.stabilityWindows !== undefined && {
      stabilityWindows: parseIntFlag(F.stabilityWindows, flags.stabilityWindows, 2, MAX_STABILITY_WINDOWS),
    }),
    ...(flags.stabilityTolerance !== undefined && { stabilityTolerance: parseRatioFlag(F.stabilityTolerance, flags.stabilityTolerance) }),
    ...(flags.maxExtend !== undefined && { maxExtendMs: parseDurationFlag(F.maxExtendMs, flags.maxExtend, { allowZero: true }) }),
    ...(flags.stability === false && { stability: false as const }),
    ...(flags.repeat !== undefined && { repeat: parseIntFlag(F.repeat, flags.repeat, 1, MAX_REPEAT) }),
    ...(flags.search === true && { search: true as const }),
  };
}

function targetOverridesFromFlags(flags: RunFlags): TargetOverrides {
  return {
    ...(flags.target !== undefined && { targetUrl: flags.target }),
    ...(flags.protocol !== undefined && { protocol: parseChoiceFlag(F.protocol, flags.protocol, PROTOCOL_NAMES) }),
    ...(flags.concurrency !== undefined && { concurrency: parseIntListFlag(F.concurrency, flags.concurrency) }),
    ...(flags.rate !== undefined && { ratesPerSec: parseNumberListFlag(F.ratesPerSec, flags.rate, 'requests per second') }),
    ...(flags.arrivals !== undefined && { arrivals: parseChoiceFlag(F.arrivals, flags.arrivals, ARRIVAL_PROCESSES) }),
    ...(flags.maxInFlight !== undefined && { maxInFlight: parseIntFlag(F.maxInFlight, flags.maxInFlight) }),
    ...(flags.connections !== undefined && { connections: parseIntFlag(F.connections, flags.connections) }),
    ...(flags.timeout !== undefined && { timeoutMs: parseDurationFlag(F.timeoutMs, flags.timeout) }),
    ...(flags.uniqueTexts === false && { uniqueTexts: false }),
    ...(flags.health !== undefined && { health: flags.health }),
    ...(flags.serverMetrics !== undefined && { serverMetrics: flags.serverMetrics }),
    ...(flags.serverMetricsInterval !== undefined && {
      serverMetricsIntervalMs: parseDurationFlag(F.serverMetricsIntervalMs, flags.serverMetricsInterval),
    }),
  };
}
