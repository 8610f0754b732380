/** Runs the built CLI (dist/cli/bin.js) as a real child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'bin.js');
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Resolves once the child's stderr has shown `pattern` (e.g. a step's progress line); rejects if it exits first. */
export function stderrShows(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.once('exit', () => reject(new Error(`the run ended before ${what}: ${seen}`)));
  });
}

/** `run --target url --stage classify`: one classify step at `concurrency` in flight, `requests` measured after `warmup`. */
export function classifyRunArgs(url: string, concurrency: number, requests: number, warmup: number): string[] {
  return [
    'run',
    '--target',
    url,
    '--stage',
    'classify',
    '--concurrency',
    String(concurrency),
    '--requests',
    String(requests),
    '--warmup',
    String(warmup),
  ];
}

export function runCli(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return startCli(args, env).done;
}

export interface ServeProcess {
  readonly url: string;
  stop(): Promise<CliResult>;
}

/** Starts `pipebench serve --port 0 ...` and resolves with its URL once it prints the listening line. */
export async function startServe(args: readonly string[] = []): Promise<ServeProcess> {
  const serve = startCli(['serve', '--port', '0', ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${seen}`)), 60_000);
    serve.child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    serve.child.once('exit', () => reject(new Error(`serve exited before listening: ${seen}`)));
  });
  return {
    url,
    stop: () => {
      serve.child.kill('SIGTERM');
      return serve.done;
    },
  };
}
