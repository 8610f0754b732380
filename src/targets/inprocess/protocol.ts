/**
 * The message protocol between the target (main thread) and one model instance, the same for a
 * worker thread and a child process. Plain data only: it crosses structured clone and IPC.
 */
import type { BackendReport } from '../../core/report/environment.js';
import type { ClassifyOutput, GenerateInput, GenerateOutput, ModelSpec } from '../../models/types.js';
import type { ModelInfo, ModelTask } from '../../core/model-info.js';
import type { BackendChoice } from '../../core/workload.js';

export interface InstanceModels {
  readonly classify?: ModelSpec;
  readonly generate?: ModelSpec;
}

/** What the instance learns about its backend; the host adds `instances` and `isolation`. */
export type SelectedBackend = Omit<BackendReport, 'instances' | 'isolation'>;

export type HostMessage =
  | { readonly kind: 'init'; readonly backend: BackendChoice; readonly models: InstanceModels }
  | { readonly kind: 'run'; readonly id: number; readonly task: 'classify'; readonly inputs: readonly string[] }
  | {
      readonly kind: 'run';
      readonly id: number;
      readonly task: 'generate';
      readonly inputs: readonly GenerateInput[];
      readonly maxNewTokens: number;
      /** Set only when an item of the batch streams: the instance then posts `tokens` per step. */
      readonly stream?: true;
    }
  | { readonly kind: 'memory'; readonly id: number }
  /** Calibration (bench:overhead): `calls` back-to-back classify() calls with no harness around them. */
  | { readonly kind: 'time-raw'; readonly id: number; readonly inputs: readonly string[]; readonly calls: number }
  | { readonly kind: 'close' };

export type RunMessage = Extract<HostMessage, { kind: 'run' }>;

export type InstanceMessage =
  | { readonly kind: 'ready'; readonly backend: SelectedBackend; readonly modelInfos: readonly ModelInfo[] }
  | {
      readonly kind: 'init_failed';
      readonly errorClass: 'backend_unavailable' | 'model_load';
      readonly message: string;
      /** For a model the user can fix: the file or folder at fault (becomes an InputError). */
      readonly where?: string;
    }
  | {
      readonly kind: 'done';
      readonly id: number;
      readonly task: ModelTask;
      /** Epoch ms (core/clock): the batch started on the model / its outputs were on the host. */
      readonly tDispatchMs: number;
      readonly tDoneMs: number;
      readonly outputs: readonly ClassifyOutput[] | readonly GenerateOutput[];
      /** Generation: epoch ms at which each step's tokens were on the host. Empty for classify. */
      readonly stepTimesMs: readonly number[];
    }
  /** Streaming batches only: after each decode step, each row's new text (empty once it ended). */
  | { readonly kind: 'tokens'; readonly id: number; readonly step: number; readonly atMs: number; readonly pieces: readonly string[] }
  | { readonly kind: 'failed'; readonly id: number; readonly errorClass: string; readonly message: string }
  | { readonly kind: 'memory'; readonly id: number; readonly numTensors: number; readonly numBytes: number }
  | { readonly kind: 'raw-times'; readonly id: number; readonly durationsMs: readonly number[] };

export type DoneMessage = Extract<InstanceMessage, { kind: 'done' }>;
export type FailedMessage = Extract<InstanceMessage, { kind: 'failed' }>;
export type TokensMessage = Extract<InstanceMessage, { kind: 'tokens' }>;
