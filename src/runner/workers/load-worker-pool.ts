/**
 * The run's load worker threads (--workers N, HTTP targets): opened once before the first step,
 * each with its own HTTP target and texts, and closed with the run. A step is handed to the first
 * `count` of them; a thread that dies mid-step fails the step (the run keeps what it measured
 * before) instead of hanging it. worker-thread.ts starts and ends each thread.
 */
import { availableParallelism } from 'node:os';
import type { HttpTargetSpec, WorkerCount } from '../../core/workload.js';
import { InternalError, PipebenchError, type ExitCode } from '../../errors.js';
import { builtEntryPath, openWorkerThread, type WorkerThread } from '../../worker-thread.js';
import type { Corpus } from '../../workload/corpus.js';
import type { FromWorker, ToWorker } from './messages.js';
import { resolveWorkerCount, splitCount } from './split-load.js';

export interface LoadWorkerPoolOptions {
  readonly workers: WorkerCount;
  readonly spec: HttpTargetSpec;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly corpus: Corpus;
  readonly seed: number;
  readonly uniqueTexts: boolean;
  /** The plan's highest in-flight count: each worker's pools get their share of it. */
  readonly peakInFlight: number;
  /** Cores to size `auto` by (default: this machine's). */
  readonly cores?: number;
}

/** Listens to one worker during one step. */
export type WorkerListener = (message: FromWorker) => void;

/** How long a worker may take to close its target and answer before it is ended anyway. */
const CLOSE_WAIT_MS = 5000;

export class LoadWorkerPool {
  private readonly listeners: (WorkerListener | null)[];
  private readonly exits: (string | null)[];

  private constructor(
    private readonly threads: readonly WorkerThread<ToWorker>[],
    private readonly closing: { warnings: string[]; answered: number; onAnswered: () => void },
  ) {
    this.listeners = threads.map(() => null);
    this.exits = threads.map(() => null);
  }

  /**
   * Opens the threads and their targets; null when the count comes to 1 (the main thread drives).
   * A worker whose target cannot open (a missing header variable, a failed login) fails the whole open.
   */
  static async open(options: LoadWorkerPoolOptions): Promise<LoadWorkerPool | null> {
    const count = Math.min(resolveWorkerCount(options.workers, options.cores ?? availableParallelism()), options.peakInFlight);
    if (count <= 1) return null;
    const closing = { warnings: [] as string[], answered: 0, onAnswered: () => undefined };
    const opened: Promise<void>[] = [];
    // Set once the threads exist; their messages only come after that.
    const self: { pool?: LoadWorkerPool } = {};
    const threads = Array.from({ length: count }, (_, index) => {
      let settleOpen: (failure: PipebenchError | null) => void = () => undefined;
      opened.push(
        new Promise<void>((resolve, reject) => {
          settleOpen = (failure) => (failure === null ? resolve() : reject(failure));
        }),
      );
      return openWorkerThread<ToWorker, FromWorker>(builtEntryPath(import.meta.url, 'load-worker-main.js'), {
        onMessage(message) {
          if (message.kind === 'opened') return settleOpen(null);
          if (message.kind === 'failed') return settleOpen(new PipebenchError(message.message, message.exitCode as ExitCode));
          if (message.kind === 'closed') {
            closing.warnings.push(...message.warnings);
            closing.answered++;
            return closing.onAnswered();
          }
          pool?.listeners[index]?.(message);
        },
        onExit(reason) {
          settleOpen(new InternalError(`load worker ${index + 1}: ${reason}`));
          if (pool === undefined) return;
          pool.exits[index] = reason;
          pool.listeners[index]?.({ kind: 'failed', message: `load worker ${index + 1}: ${reason}`, exitCode: 3 });
        },
      });
    });
    const pool = new LoadWorkerPool(threads, closing);
    self.pool = pool;
    threads.forEach((thread, index) => {
      const slot = { index, of: count };
      thread.post({
        kind: 'open',
        spec: { ...options.spec, health: { routes: [], auto: false } },
        env: options.env,
        corpus: options.corpus,
        seed: options.seed,
        uniqueTexts: options.uniqueTexts,
        slot,
        connections: Math.max(1, splitCount(options.peakInFlight, slot)),
      });
    });
    try {
      await Promise.all(opened);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.threads.length;
  }

  /** Routes worker `index`'s messages to `listener` (null: nobody listens); throws if it is gone. */
  listen(index: number, listener: WorkerListener | null): void {
    const gone = this.exits[index];
    if (listener !== null && gone !== null && gone !== undefined) throw new InternalError(`load worker ${index + 1}: ${gone}`);
    this.listeners[index] = listener;
  }

  post(index: number, message: ToWorker): void {
    this.threads[index]?.post(message);
  }

  /** Closes every target (their warnings come back), then ends every thread. */
  async close(): Promise<string[]> {
    const alive = this.threads.filter((_, i) => this.exits[i] === null);
    const answered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      this.closing.onAnswered = () => {
        if (this.closing.answered < alive.length) return;
        clearTimeout(timer);
        resolve();
      };
    });
    for (const thread of alive) thread.post({ kind: 'close' });
    if (alive.length > 0) await answered;
    await Promise.all(this.threads.map((thread) => thread.kill()));
    return [...new Set(this.closing.warnings)];
  }
}
