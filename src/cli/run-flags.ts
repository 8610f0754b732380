/**
 * `pipebench run`'s flags as typed overrides: each flag parsed and checked here, so a bad value
 * names its flag; the workload modules apply them.
 */
import { STAGES, type Stage } from '../core/stage.js';
import { InputError } from '../errors.js';
import type { WorkloadOverrides } from '../workload/overrides.js';
import { MAX_REPEAT, MAX_STABILITY_WINDOWS, type SignoffOverrides } from '../workload/signoff.js';
import { parseScaleFlag, parseScheduleFlag, SCENARIO_FLAGS, type ScenarioOverrides } from '../workload/scenario-overrides.js';
import type { TargetOverrides } from '../workload/target-overrides.js';
import { HTTP_DEFAULTS } from '../workload/defaults.js';
import { PROTOCOL_NAMES, type ArrivalProcess, type BackendChoice } from '../core/workload.js';
import { parseChoiceFlag, parseDurationFlag, parseIntFlag, parseIntListFlag, parseNumberListFlag, parseRatioFlag } from './flags.js';

const ARRIVAL_PROCESSES = ['constant', 'poisson'] as const satisfies readonly ArrivalProcess[];

export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];

export interface RunFlags {
  readonly batchSizes?: string;
  readonly stages?: string;
  readonly backend?: string;
  readonly instances?: string;
  readonly requests?: string;
  readonly duration?: string;
  readonly warmup?: string;
  readonly maxNewTokens?: string;
  readonly seed?: string;
  readonly p95?: string;
  readonly p99?: string;
  readonly maxErrorRate?: string;
  readonly out?: string;
  readonly runId?: string;
  readonly quiet?: boolean;
  readonly gpu?: boolean;
  readonly gpuTrace?: string;
  readonly gpuInterval?: string;
  readonly target?: string;
  readonly protocol?: string;
  readonly stage?: string;
  readonly concurrency?: string;
  readonly rate?: string;
  readonly arrivals?: string;
  readonly maxInFlight?: string;
  readonly connections?: string;
  readonly timeout?: string;
  /** false with --no-unique-texts. */
  readonly uniqueTexts?: boolean;
  /** --health PATH, or false with --no-health. */
  readonly health?: string | false;
  readonly stabilityWindows?: string;
  readonly stabilityTolerance?: string;
  readonly maxExtend?: string;
  /** false with --no-stability. */
  readonly stability?: boolean;
  readonly repeat?: string;
  readonly search?: boolean;
  readonly budgets?: string;
  readonly scenario?: string;
  readonly timeScale?: string;
  readonly loadScale?: string;
  readonly schedule?: string;
  readonly prometheusPort?: string;
  readonly resume?: boolean;
  readonly outJsonl?: string;
}

/** Sweep flags: a scenario's load stages set its load, so these would be silently ignored there. */
const SWEEP_ONLY_FLAGS = [
  ['batchSizes', '--batch-sizes'],
  ['stages', '--stages'],
  ['stage', '--stage'],
  ['requests', '--requests'],
  ['duration', '--duration'],
  ['concurrency', '--concurrency'],
  ['rate', '--rate'],
  ['search', '--search'],
  ['repeat', '--repeat'],
] as const satisfies readonly (readonly [keyof RunFlags, string])[];

export function refuseSweepFlags(flags: RunFlags, workloadName: string): void {
  for (const [key, flag] of SWEEP_ONLY_FLAGS) {
    if (flags[key] !== undefined) {
      throw new InputError(flag, `has no effect on scenario workload "${workloadName}": its load stages set the load (use --time-scale, --load-scale or --schedule)`);
    }
  }
}

export function scenarioOverridesFromFlags(flags: RunFlags): ScenarioOverrides {
  return {
    ...(flags.timeScale !== undefined && { timeScale: parseScaleFlag(SCENARIO_FLAGS.timeScale, flags.timeScale) }),
    ...(flags.loadScale !== undefined && { loadScale: parseScaleFlag(SCENARIO_FLAGS.loadScale, flags.loadScale) }),
    ...(flags.schedule !== undefined && { schedule: parseScheduleFlag(flags.schedule) }),
  };
}

/**
 * @param builtinHttp the run uses the built-in HTTP workload (--target with no file): its stages
 *   follow --protocol (openai: generate only) unless --stage or --stages chose them.
 */
export function overridesFromFlags(flags: RunFlags, builtinHttp = false): WorkloadOverrides {
  if (flags.stage !== undefined && flags.stages !== undefined) throw new InputError('--stage', 'expected --stage or --stages, got both');
  const target = targetOverridesFromFlags(flags);
  const stages =
    flags.stage !== undefined
      ? [parseChoiceFlag<Stage>('--stage', flags.stage.trim(), STAGES)]
      : (flags.stages?.split(',').map((s) => parseChoiceFlag<Stage>('--stages', s.trim(), STAGES)) ??
        (builtinHttp && target.protocol !== undefined ? HTTP_DEFAULTS.stages[target.protocol] : undefined));
  return {
    ...target,
    ...(flags.batchSizes !== undefined && { batchSizes: parseIntListFlag('--batch-sizes', flags.batchSizes, 1, 4096) }),
    ...(stages && { stages }),
    ...(flags.backend !== undefined && { backend: parseChoiceFlag('--backend', flags.backend, BACKENDS) }),
    ...(flags.instances !== undefined && { instances: parseIntFlag('--instances', flags.instances, 1, 64) }),
    ...(flags.requests !== undefined && { requests: parseIntFlag('--requests', flags.requests) }),
    ...(flags.duration !== undefined && { durationMs: parseDurationFlag('--duration', flags.duration) }),
    ...(flags.warmup !== undefined && { warmupRequests: parseIntFlag('--warmup', flags.warmup, 0) }),
    ...(flags.maxNewTokens !== undefined && { maxNewTokens: parseIntFlag('--max-new-tokens', flags.maxNewTokens, 1, 1024) }),
    ...(flags.seed !== undefined && { seed: parseIntFlag('--seed', flags.seed, 0) }),
    ...(flags.p95 !== undefined && { p95Ms: parseDurationFlag('--p95', flags.p95) }),
    ...(flags.p99 !== undefined && { p99Ms: parseDurationFlag('--p99', flags.p99) }),
    ...(flags.maxErrorRate !== undefined && { maxErrorRate: parseRatioFlag('--max-error-rate', flags.maxErrorRate) }),
  };
}

export function signoffOverridesFromFlags(flags: RunFlags): SignoffOverrides {
  return {
    ...(flags.stabilityWindows !== undefined && { stabilityWindows: parseIntFlag('--stability-windows', flags.stabilityWindows, 2, MAX_STABILITY_WINDOWS) }),
    ...(flags.stabilityTolerance !== undefined && { stabilityTolerance: parseRatioFlag('--stability-tolerance', flags.stabilityTolerance) }),
    ...(flags.maxExtend !== undefined && { maxExtendMs: parseDurationFlag('--max-extend', flags.maxExtend, { allowZero: true }) }),
    ...(flags.stability === false && { stability: false as const }),
    ...(flags.repeat !== undefined && { repeat: parseIntFlag('--repeat', flags.repeat, 1, MAX_REPEAT) }),
    ...(flags.search === true && { search: true as const }),
  };
}

function targetOverridesFromFlags(flags: RunFlags): TargetOverrides {
  return {
    ...(flags.target !== undefined && { targetUrl: flags.target }),
    ...(flags.protocol !== undefined && { protocol: parseChoiceFlag('--protocol', flags.protocol, PROTOCOL_NAMES) }),
    ...(flags.concurrency !== undefined && { concurrency: parseIntListFlag('--concurrency', flags.concurrency) }),
    ...(flags.rate !== undefined && { ratesPerSec: parseNumberListFlag('--rate', flags.rate, 'requests per second') }),
    ...(flags.arrivals !== undefined && { arrivals: parseChoiceFlag('--arrivals', flags.arrivals, ARRIVAL_PROCESSES) }),
    ...(flags.maxInFlight !== undefined && { maxInFlight: parseIntFlag('--max-in-flight', flags.maxInFlight) }),
    ...(flags.connections !== undefined && { connections: parseIntFlag('--connections', flags.connections) }),
    ...(flags.timeout !== undefined && { timeoutMs: parseDurationFlag('--timeout', flags.timeout) }),
    ...(flags.uniqueTexts === false && { uniqueTexts: false }),
    ...(flags.health !== undefined && { health: flags.health }),
  };
}
