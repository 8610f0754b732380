/**
 * What the main thread and a load worker thread say to each other: plain, structured-clonable data.
 * One worker opens its own HTTP target (its own undici pools) once per run, then measures its share
 * of each step it is given with its own StepRecorder and reports windows as they close.
 */
import type { StepMeasurement, WindowStat } from '../../core/measurement.js';
import type { HttpTargetSpec, Step } from '../../core/workload.js';
import type { Corpus } from '../../workload/corpus.js';
import type { SendStats } from '../../load/send-stats.js';
import type { EndReason } from '../../load/step-phases.js';
import type { WorkerSlot } from './split-load.js';

export type ToWorker =
  | {
      readonly kind: 'open';
      /** The run's target, its health preflight off (the main thread did it once). */
      readonly spec: HttpTargetSpec;
      /** Where header values named by variable are looked up. */
      readonly env: Readonly<Record<string, string | undefined>>;
      readonly corpus: Corpus;
      readonly seed: number;
      readonly uniqueTexts: boolean;
      readonly slot: WorkerSlot;
      /** This worker's share of the plan's peak in flight, for connections: "auto". */
      readonly connections: number;
    }
  | {
      readonly kind: 'step';
      /** The step as this worker drives it (split-load.ts workerStep). */
      readonly step: Step;
      readonly slot: WorkerSlot;
      readonly seed: number;
      /** Epoch ms every worker of the step starts at (open loop: the schedule's origin). */
      readonly startAtMs: number;
      /** The step's shared window grid origin. */
      readonly windowOriginMs: number;
      /** Stability is judged on the main thread: past the planned length, wait for its `stop`. */
      readonly judged: boolean;
      readonly updateMs: number;
      readonly drainGraceMs?: number;
    }
  /** The main thread's stability watch says the step may end. */
  | { readonly kind: 'stop' }
  /** The run was interrupted: stop sending, drain, report what was measured. */
  | { readonly kind: 'abort' }
  | { readonly kind: 'close' };

export type FromWorker =
  | { readonly kind: 'opened' }
  | { readonly kind: 'failed'; readonly message: string; readonly exitCode: number }
  | {
      readonly kind: 'update';
      readonly completed: number;
      readonly errors: number;
      readonly firstMeasuredArrivalMs: number | null;
      /** Windows closed since the last update, with their e2e histograms. */
      readonly windows: readonly WindowStat[];
      /** The step's e2e histogram so far, encoded. */
      readonly e2e: string;
    }
  /** The worker reached its planned length and, judged, keeps measuring until told to stop. */
  | { readonly kind: 'planned'; readonly atMs: number }
  | {
      readonly kind: 'measured';
      readonly measurement: StepMeasurement;
      readonly endedBy: EndReason;
      readonly abandoned: number;
      readonly extendedMs: number;
      readonly sends: SendStats | null;
    }
  /** The target's first error details and protocol notices (run warnings), on close. */
  | { readonly kind: 'closed'; readonly warnings: readonly string[] };
