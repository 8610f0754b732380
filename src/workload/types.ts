/**
 * A workload after validation: every field resolved, units in names, paths absolute.
 * The YAML form (workloads/*.yaml) is documented in workloads/README.md and validated by schema.ts.
 */
import type { Stage } from '../targets/target.js';

export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BatchMode = 'dynamic' | 'static';
export type ModelSize = 'small' | 'base';

/** A model: a built-in by name ("intent-classifier") or a folder with a manifest.json. */
export interface ModelRef {
  readonly builtin?: string;
  readonly dir?: string;
}

/** Warm-up or measurement length: by item count, by duration, or both (first reached ends it). */
export interface PhaseLength {
  readonly requests?: number;
  readonly durationMs?: number;
}

export interface StageSpec {
  readonly stage: Stage;
  readonly mode: BatchMode;
  readonly batchSizes: readonly number[];
  /** Items in flight; "auto" = 2 x batch size x instances, so one batch fills while one runs. */
  readonly concurrency: 'auto' | number;
  readonly maxQueueDelayMs: number;
  readonly maxNewTokens: number;
}

export interface Budget {
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxErrorRate: number; // 0..1
}

export interface Workload {
  readonly name: string;
  readonly description: string;
  /** Absolute path of the YAML it came from, or "<defaults>". */
  readonly source: string;
  readonly seed: number;
  readonly corpus: { readonly path: string; readonly uniqueTexts: boolean };
  readonly models: { readonly classifier: ModelRef; readonly generator: ModelRef; readonly size: ModelSize };
  readonly engine: { readonly backend: BackendChoice; readonly instances: number };
  readonly stages: readonly StageSpec[];
  readonly warmup: PhaseLength;
  readonly measure: PhaseLength & { readonly maxDurationMs: number };
  readonly budget: Budget;
}

/** One step of the plan: a stage at one batch size. */
export interface Step {
  readonly index: number;
  readonly stage: Stage;
  readonly mode: BatchMode;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly maxQueueDelayMs: number;
  readonly maxNewTokens: number;
  readonly warmup: PhaseLength;
  readonly measure: PhaseLength & { readonly maxDurationMs: number };
}
