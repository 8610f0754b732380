/**
 * CLI flags over a loaded workload. Values arrive typed (the CLI parsed them); ranges are checked
 * here too, so any caller gets the same rules, and errors name the flag.
 */
import { InputError } from '../errors.js';
import type { Stage } from '../core/stage.js';
import { defaultMaxDurationMs } from './defaults.js';
import { BACKENDS, LIMITS } from './schema.js';
import { applyTargetOverrides, TARGET_OVERRIDE_FLAGS, type TargetOverrides } from './target-overrides.js';
import type { BackendChoice, Workload } from '../core/workload.js';

export interface WorkloadOverrides extends TargetOverrides {
  /** Replaces every stage's batch sizes. */
  readonly batchSizes?: readonly number[];
  /** Keeps only these stages (in the workload's order); each must be in the workload. */
  readonly stages?: readonly Stage[];
  readonly backend?: BackendChoice;
  readonly instances?: number;
  /** Measured items per step. Alone, it replaces the file's duration: exactly this many are measured. */
  readonly requests?: number;
  /** Measured time per step. Alone, it replaces the file's request count. */
  readonly durationMs?: number;
  /** Warm-up items per step (0 = none); replaces the file's warm-up. */
  readonly warmupRequests?: number;
  /** Tokens per item for every stage that generates. */
  readonly maxNewTokens?: number;
  readonly seed?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxErrorRate?: number;
}

export const OVERRIDE_FLAGS = {
  batchSizes: '--batch-sizes',
  stages: '--stages',
  backend: '--backend',
  instances: '--instances',
  requests: '--requests',
  durationMs: '--duration',
  warmupRequests: '--warmup',
  maxNewTokens: '--max-new-tokens',
  seed: '--seed',
  p95Ms: '--p95',
  p99Ms: '--p99',
  maxErrorRate: '--max-error-rate',
  ...TARGET_OVERRIDE_FLAGS,
} as const satisfies Record<keyof WorkloadOverrides, string>;

export function applyOverrides(workload: Workload, overrides: WorkloadOverrides): Workload {
  const o = overrides;
  const batchSizes = o.batchSizes === undefined ? undefined : checkBatchSizes(o.batchSizes);
  const stageNames = o.stages === undefined ? undefined : checkStages(o.stages, workload);
  if (o.backend !== undefined && !(BACKENDS as readonly string[]).includes(o.backend)) {
    throw new InputError(OVERRIDE_FLAGS.backend, `expected one of ${BACKENDS.join(', ')}, got "${o.backend}"`);
  }
  checkInt('instances', o.instances, 1, LIMITS.maxInstances);
  checkInt('requests', o.requests, 1, LIMITS.maxRequests);
  checkInt('warmupRequests', o.warmupRequests, 0, LIMITS.maxRequests);
  checkInt('maxNewTokens', o.maxNewTokens, 1, LIMITS.maxNewTokens);
  checkInt('seed', o.seed, 0, LIMITS.maxSeed);
  checkPositive('durationMs', o.durationMs);
  checkPositive('p95Ms', o.p95Ms);
  checkPositive('p99Ms', o.p99Ms);
  if (o.maxErrorRate !== undefined && !(o.maxErrorRate >= 0 && o.maxErrorRate <= 1)) {
    throw new InputError(OVERRIDE_FLAGS.maxErrorRate, `expected a ratio from 0 to 1 (or "0%" to "100%"), got ${o.maxErrorRate}`);
  }

  const stages = workload.stages
    .filter((spec) => stageNames === undefined || stageNames.includes(spec.stage))
    .map((spec) => ({
      ...spec,
      ...(batchSizes !== undefined && { batchSizes }),
      ...(o.maxNewTokens !== undefined && { maxNewTokens: o.maxNewTokens }),
    }));
  const overridden: Workload = {
    ...workload,
    seed: o.seed ?? workload.seed,
    engine: { backend: o.backend ?? workload.engine.backend, instances: o.instances ?? workload.engine.instances },
    stages,
    warmup: o.warmupRequests === undefined ? workload.warmup : { requests: o.warmupRequests },
    measure: measureWith(workload.measure, o.requests, o.durationMs),
    budget: {
      p95Ms: o.p95Ms ?? workload.budget.p95Ms,
      p99Ms: o.p99Ms ?? workload.budget.p99Ms,
      maxErrorRate: o.maxErrorRate ?? workload.budget.maxErrorRate,
    },
  };
  return applyTargetOverrides(overridden, o);
}

function measureWith(measure: Workload['measure'], requests: number | undefined, durationMs: number | undefined): Workload['measure'] {
  if (requests === undefined && durationMs === undefined) return measure;
  // The hard limit must stay above the asked-for duration; a shorter duration keeps the file's limit.
  const maxDurationMs =
    durationMs !== undefined && durationMs > measure.maxDurationMs ? defaultMaxDurationMs(durationMs) : measure.maxDurationMs;
  return {
    ...(requests !== undefined && { requests }),
    ...(durationMs !== undefined && { durationMs }),
    maxDurationMs,
  };
}

function checkBatchSizes(sizes: readonly number[]): number[] {
  const flag = OVERRIDE_FLAGS.batchSizes;
  if (sizes.length === 0) throw new InputError(flag, 'expected at least one batch size, got none');
  const seen = new Set<number>();
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 1 || size > LIMITS.maxBatchSize) {
      throw new InputError(flag, `expected positive integers up to ${LIMITS.maxBatchSize}, got ${size}`);
    }
    if (seen.has(size)) throw new InputError(flag, `expected unique batch sizes, got ${size} twice`);
    seen.add(size);
  }
  return [...sizes].sort((a, b) => a - b);
}

function checkStages(stages: readonly Stage[], workload: Workload): readonly Stage[] {
  const flag = OVERRIDE_FLAGS.stages;
  const present = workload.stages.map((s) => s.stage);
  if (stages.length === 0) throw new InputError(flag, `expected at least one of ${present.join(', ')}, got none`);
  for (const stage of stages) {
    if (!present.includes(stage)) {
      throw new InputError(flag, `expected stages of workload "${workload.name}" (${present.join(', ')}), got "${stage}"`);
    }
  }
  if (new Set(stages).size !== stages.length) throw new InputError(flag, `expected each stage once, got ${stages.join(',')}`);
  return stages;
}

function checkInt(key: keyof WorkloadOverrides, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new InputError(OVERRIDE_FLAGS[key], `expected an integer from ${min} to ${max}, got ${value}`);
  }
}

function checkPositive(key: keyof WorkloadOverrides, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new InputError(OVERRIDE_FLAGS[key], `expected a positive duration, got ${value} ms`);
  }
}
