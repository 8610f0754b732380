/** How the in-process target is opened, and what it records of an instance it lost. */
import type { BackendChoice } from '../../core/workload.js';
import type { ModelSpec } from '../../models/types.js';
import type { BatcherTimers } from './batcher.js';
import type { IsolationChoice } from './channel.js';

export interface InProcessOptions {
  readonly backend: BackendChoice;
  readonly instances: number;
  /** 'auto' (default): child processes for the native tfjs-node backends, worker threads otherwise. */
  readonly isolation?: IsolationChoice;
  readonly models: { readonly classify?: ModelSpec; readonly generate?: ModelSpec };
  /** How long close() lets an instance exit by itself before killing it. */
  readonly closeGraceMs?: number;
  /** The batcher's clock and timers (tests). */
  readonly timers?: BatcherTimers;
}

export interface InstanceLoss {
  readonly index: number;
  readonly reason: string;
  /** Items of the batch it was running, returned as errorClass 'worker_exit'. */
  readonly itemsLost: number;
}
