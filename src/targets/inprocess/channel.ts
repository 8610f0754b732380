/**
 * The transport to one model instance: a worker thread (wasm/cpu) or a child process
 * (native tfjs-node backends, which are unsafe in several worker threads). Both carry the same
 * protocol messages, so nothing above this file knows which one it talks to.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { BackendChoice } from '../../core/workload.js';
import { builtEntryPath, openWorkerThread } from '../../worker-thread.js';
import { installedLibraryPath, isTensorFlowNoise, nativeChildEnv } from './native/child-env.js';
import type { HostMessage, InstanceMessage } from './protocol.js';

export type Isolation = 'worker' | 'process';
export type IsolationChoice = 'auto' | Isolation;

export interface ChannelEvents {
  onMessage(message: InstanceMessage): void;
  /** Called once when the instance is gone, for whatever reason; `reason` says how it ended. */
  onExit(reason: string): void;
}

export interface InstanceChannel {
  readonly isolation: Isolation;
  /** The child's pid; for a worker thread, this process's pid. */
  readonly pid: number;
  /** The worker's thread id; null for a child process. */
  readonly threadId: number | null;
  post(message: HostMessage): void;
  /** Ends the instance at once; resolves after it has exited. */
  kill(): Promise<void>;
  /** Resolves after the instance has exited (by itself or by kill). */
  readonly exited: Promise<void>;
}

const STDERR_TAIL_CHARS = 2000;
const require = createRequire(import.meta.url);

/** The instance entry, built (worker-thread.ts builtEntryPath: dist/ even when this runs from src/). */
export function instanceEntryPath(moduleUrl: string = import.meta.url): string {
  return builtEntryPath(moduleUrl, 'instance-main.js');
}

/** 'auto': a child process for the native backends (or when one is installed), a worker thread otherwise. */
export function resolveIsolation(
  backend: BackendChoice,
  requested: IsolationChoice,
  isInstalled: (packageName: string) => boolean = packageInstalled,
): Isolation {
  if (requested !== 'auto') return requested;
  if (backend === 'tensorflow' || backend === 'tensorflow-gpu') return 'process';
  if (backend === 'wasm' || backend === 'cpu') return 'worker';
  return isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node') ? 'process' : 'worker';
}

function packageInstalled(packageName: string): boolean {
  try {
    require.resolve(`${packageName}/package.json`);
    return true;
  } catch {
    return false;
  }
}

export function openChannel(isolation: Isolation, events: ChannelEvents, entry: string = instanceEntryPath()): InstanceChannel {
  return isolation === 'worker' ? openWorker(entry, events) : openChild(entry, events);
}

function openWorker(entry: string, events: ChannelEvents): InstanceChannel {
  const worker = openWorkerThread<HostMessage, InstanceMessage>(entry, events);
  return { isolation: 'worker', pid: process.pid, ...worker };
}

function openChild(entry: string, events: ChannelEvents): InstanceChannel {
  const child: ChildProcess = fork(entry, [], {
    execArgv: [],
    // A child may load a native TensorFlow: quiet its start-up logging, give it setup's library path.
    env: nativeChildEnv(process.env, installedLibraryPath()),
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let spawnError: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      spawnError = error.message;
      if (child.pid === undefined) {
        events.onExit(`child process could not start: ${error.message}`);
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const detail = lastLine(stderrTail) ?? spawnError;
      events.onExit(`child process ${child.pid} ${how}${detail ? ` (${detail})` : ''}`);
      resolve();
    });
  });
  child.on('message', (message: InstanceMessage) => events.onMessage(message));
  return {
    isolation: 'process',
    pid: child.pid ?? -1,
    threadId: null,
    post: (message) => {
      if (child.connected) child.send(message);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    exited,
  };
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !isTensorFlowNoise(line));
  return lines.at(-1);
}
