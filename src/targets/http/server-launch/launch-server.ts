/**
 * Brings up one server configuration (issue 15): the rendered command under /bin/sh in its own
 * process group, with a clean, explicit environment, stdout and stderr into a log file; waits
 * (bounded) for the health route to answer 2xx. stop() sends SIGTERM to the group, SIGKILL after the
 * grace, and checks no process of the group is left. The group is killed on pipebench's exit too
 * (telemetry/child-registry.ts), so Ctrl-C or a crash leaves no server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TargetUnavailableError } from '../../../errors.js';
import { childExited, terminateGroup, trackGroup, type GroupStop } from '../../../telemetry/child-registry.js';
import { probeStatus } from '../status-probe.js';

/** Variables a launched command gets from pipebench's environment besides the ones it names. */
export const BASE_ENV = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const;
const HEALTH_POLL_MS = 100;
const HEALTH_REQUEST_MS = 2_000;
export const LOG_TAIL_LINES = 12;

export interface LaunchOptions {
  /** The command line, placeholders already filled in. */
  readonly command: string;
  /** Full URL of the health route on the launched port. */
  readonly healthUrl: string;
  readonly logPath: string;
  readonly readyTimeoutMs: number;
  readonly stopGraceMs: number;
  /** pipebench's own environment, and the extra names to copy from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly passEnv: readonly string[];
  readonly signal?: AbortSignal;
}

/** A launch that failed: why, and the last lines of the server's log. */
export class ServerLaunchError extends TargetUnavailableError {
  constructor(
    readonly reason: string,
    readonly logTail: readonly string[],
  ) {
    super(`${reason}${logTail.length > 0 ? `; last log lines: ${logTail.join(' | ')}` : ''}`);
  }
}

export interface StopResult {
  readonly outcome: GroupStop;
  /** How the leader ended, as the OS said: an exit code or a signal. */
  readonly exit: string;
}

export interface LaunchedServer {
  readonly pid: number;
  readonly logPath: string;
  /** null while running; else how it ended (a crash mid-step shows here). */
  exitedWith(): string | null;
  stop(): Promise<StopResult>;
}

export function cleanEnv(env: LaunchOptions['env'], passEnv: readonly string[]): Record<string, string> {
  const names = [...BASE_ENV, ...passEnv];
  return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}

export async function launchServer(options: LaunchOptions): Promise<LaunchedServer> {
  await mkdir(dirname(options.logPath), { recursive: true });
  const log = await open(options.logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', options.command], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: cleanEnv(options.env, options.passEnv),
    });
  } finally {
    // The child holds its own copies of the descriptor.
    await log.close();
  }
  const pid = child.pid;
  if (pid === undefined) {
    const reason = await new Promise<string>((resolve) => child.once('error', (error) => resolve(error.message)));
    throw new ServerLaunchError(`server command could not start: ${reason}`, []);
  }
  trackGroup(child);
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = signal === null ? `exit code ${code}` : `signal ${signal}`));
  const server: LaunchedServer = {
    pid,
    logPath: options.logPath,
    exitedWith: () => exit,
    stop: async () => {
      const outcome = await terminateGroup(child, options.stopGraceMs);
      return { outcome, exit: exit ?? 'unknown' };
    },
  };
  const notReady = await untilHealthy(options, child);
  if (notReady === null) return server;
  await server.stop();
  throw new ServerLaunchError(notReady, await logTail(options.logPath));
}

/** null once the health route answered 2xx; else why it never did. */
async function untilHealthy(options: LaunchOptions, child: ChildProcess): Promise<string | null> {
  const exited = childExited(child).then(() => 'exited' as const);
  const deadline = performance.now() + options.readyTimeoutMs;
  let lastAnswer = 'no answer yet';
  while (performance.now() < deadline) {
    if (options.signal?.aborted) return 'interrupted before the server was ready';
    const answer = await Promise.race([probeStatus(options.healthUrl, HEALTH_REQUEST_MS), exited]);
    if (answer === 'exited') {
      const how = child.signalCode === null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`;
      return `server exited (${how}) before ${options.healthUrl} answered 2xx`;
    }
    if (/^HTTP 2\d\d$/.test(answer)) return null;
    lastAnswer = answer;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS)), exited]);
  }
  return `server not ready: ${options.healthUrl} did not answer 2xx within ${options.readyTimeoutMs} ms (last: ${lastAnswer})`;
}

const TAIL_BYTES = 16 * 1024;

/** The last lines of a server log (blank lines dropped); reads only its last 16 KiB. */
export async function logTail(path: string, lines = LOG_TAIL_LINES): Promise<string[]> {
  try {
    const file = await open(path, 'r');
    const size = (await file.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, TAIL_BYTES));
    await file.read(buffer, 0, buffer.length, size - buffer.length);
    await file.close();
    return buffer
      .toString('utf8')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-lines);
  } catch {
    return [];
  }
}
