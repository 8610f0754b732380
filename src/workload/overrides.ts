/**
 * Overrides over a loaded workload. Values arrive typed (the CLI parsed them); ranges are checked
 * here too, so any caller gets the same rules, and errors name the field as `names` spells it (the
 * CLI: the flag).
 */
import { InputError } from '../errors.js';
import type { Stage } from '../core/stage.js';
import { defaultMaxDurationMs } from './defaults.js';
import { BACKENDS, LIMITS } from './schema.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { applyTargetOverrides, type TargetOverrides } from './target-overrides.js';
import type { BackendChoice, MeasureSpec, Workload } from '../core/workload.js';

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
  /**
   * Adaptive measurement: each step runs until its e2e p95 interval is within +-precision (a
   * fraction) and its windows settle. It replaces the file's requests and duration unless those
   * flags come with it (then they are the least a step measures). Without it, --requests or
   * --duration make the plan fixed again.
   */
  readonly precision?: number;
  /** Warm-up items per step (0 = none); replaces the file's warm-up. */
  readonly warmupRequests?: number;
  /** Tokens per item for every stage that generates. */
  readonly maxNewTokens?: number;
  readonly seed?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxErrorRate?: number;
}

export function applyOverrides(workload: Workload, overrides: WorkloadOverrides, names: OverrideNames = FIELD_NAMES): Workload {
  const o = overrides;
  const batchSizes = o.batchSizes === undefined ? undefined : checkBatchSizes(o.batchSizes, names.batchSizes);
  const stageNames = o.stages === undefined ? undefined : checkStages(o.stages, workload, names.stages);
  if (o.backend !== undefined && !(BACKENDS as readonly string[]).includes(o.backend)) {
    throw new InputError(names.backend, `expected one of ${BACKENDS.join(', ')}, got "${o.backend}"`);
  }
  checkInt(names.instances, o.instances, 1, LIMITS.maxInstances);
  checkInt(names.requests, o.requests, 1, LIMITS.maxRequests);
  checkInt(names.warmupRequests, o.warmupRequests, 0, LIMITS.maxRequests);
  checkInt(names.maxNewTokens, o.maxNewTokens, 1, LIMITS.maxNewTokens);
  checkInt(names.seed, o.seed, 0, LIMITS.maxSeed);
  checkPositive(names.durationMs, o.durationMs);
  if (o.precision !== undefined && !(o.precision > 0 && o.precision < 1)) {
    throw new InputError(names.precision, `expected a precision above 0 % and below 100 % (e.g. "5%"), got ${o.precision}`);
  }
  checkPositive(names.p95Ms, o.p95Ms);
  checkPositive(names.p99Ms, o.p99Ms);
  if (o.maxErrorRate !== undefined && !(o.maxErrorRate >= 0 && o.maxErrorRate <= 1)) {
    throw new InputError(names.maxErrorRate, `expected a ratio from 0 to 1 (or "0%" to "100%"), got ${o.maxErrorRate}`);
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
    measure: measureWith(workload.measure, o),
    budget: {
      p95Ms: o.p95Ms ?? workload.budget.p95Ms,
      p99Ms: o.p99Ms ?? workload.budget.p99Ms,
      maxErrorRate: o.maxErrorRate ?? workload.budget.maxErrorRate,
    },
  };
  return applyTargetOverrides(overridden, o, names);
}

/** The flags that set a length replace the file's whole length: count, duration and precision together. */
function measureWith(measure: Workload['measure'], o: Pick<WorkloadOverrides, 'requests' | 'durationMs' | 'precision'>): MeasureSpec {
  const { requests, durationMs, precision } = o;
  if (requests === undefined && durationMs === undefined && precision === undefined) return measure;
  // The hard limit must stay above the asked-for duration; a shorter duration keeps the file's limit.
  const maxDurationMs =
    durationMs !== undefined && durationMs > measure.maxDurationMs ? defaultMaxDurationMs(durationMs) : measure.maxDurationMs;
  return {
    ...(requests !== undefined && { requests }),
    ...(durationMs !== undefined && { durationMs }),
    maxDurationMs,
    ...(precision !== undefined && { precision }),
    // The file's cap on an adaptive step's windows stays with --precision (a fixed plan has none).
    ...(precision !== undefined && measure.maxWindows !== undefined && { maxWindows: measure.maxWindows }),
    // The sweep's time cap holds whatever the steps' plan.
    ...(measure.maxSweepDurationMs !== undefined && { maxSweepDurationMs: measure.maxSweepDurationMs }),
  };
}

function checkBatchSizes(sizes: readonly number[], flag: string): number[] {
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

function checkStages(stages: readonly Stage[], workload: Workload, flag: string): readonly Stage[] {
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

function checkInt(where: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new InputError(where, `expected an integer from ${min} to ${max}, got ${value}`);
  }
}

function checkPositive(where: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new InputError(where, `expected a positive duration, got ${value} ms`);
  }
}
