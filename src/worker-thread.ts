/**
 * Starting and ending a worker thread the same way everywhere (model instances, metrics
 * scraping): where its built entry file is, how its crash or exit is told once, and a kill that
 * waits until the thread is gone.
 */
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker's entry runs from dist/ in every case: beside `moduleUrl` when that module runs built
 * (dist/ or a bundle), else the built twin of its folder under dist/ (vitest runs src/*.ts, and
 * a worker cannot load TypeScript; the test global setup builds dist/ first).
 */
export function builtEntryPath(moduleUrl: string, file: string): string {
  const here = fileURLToPath(moduleUrl);
  const dir = dirname(here);
  if (!here.endsWith('.ts')) return join(dir, file);
  const srcAt = `${dir}${sep}`.lastIndexOf(`${sep}src${sep}`);
  if (srcAt < 0) return join(dir, file);
  return join(dir.slice(0, srcAt), 'dist', dir.slice(srcAt + `${sep}src`.length), file);
}

export interface WorkerThreadEvents<Message> {
  onMessage(message: Message): void;
  /** Called once when the thread is gone, for whatever reason; `reason` says how it ended. */
  onExit(reason: string): void;
}

export interface WorkerThread<Request> {
  readonly threadId: number;
  post(message: Request): void;
  /** Ends the thread at once; resolves after it has exited. */
  kill(): Promise<void>;
  /** Resolves after the thread has exited (by itself or by kill). */
  readonly exited: Promise<void>;
}

export interface WorkerThreadOptions {
  /** The thread does not keep the process alive (a helper that must never outlive its owner). */
  readonly unref?: boolean;
  readonly resourceLimits?: { readonly maxOldGenerationSizeMb?: number; readonly maxYoungGenerationSizeMb?: number };
}

export function openWorkerThread<Request, Message>(
  entry: string,
  events: WorkerThreadEvents<Message>,
  options: WorkerThreadOptions = {},
): WorkerThread<Request> {
  const worker = new Worker(entry, { execArgv: [], ...(options.resourceLimits && { resourceLimits: options.resourceLimits }) });
  let crash: string | undefined;
  const exited = new Promise<void>((resolve) => {
    worker.on('error', (error) => {
      crash = error.message;
    });
    worker.on('exit', (code) => {
      events.onExit(crash ? `worker thread crashed: ${crash}` : `worker thread exited with code ${code}`);
      resolve();
    });
  });
  worker.on('message', (message: Message) => events.onMessage(message));
  // After the listeners: adding a 'message' listener refs the worker's port again.
  if (options.unref) worker.unref();
  return {
    threadId: worker.threadId,
    post: (message) => worker.postMessage(message),
    kill: async () => {
      await worker.terminate();
      await exited;
    },
    exited,
  };
}
