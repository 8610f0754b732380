/** Run a command (an nvidia-smi query, a setup step) with a timeout; the outcome is data, never a throw. */
import { spawn } from 'node:child_process';
import { childExited, trackChild } from './child-registry.js';

export type CommandOutcome =
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly signal: string | null;
      readonly stdout: string;
      readonly stderr: string;
    }
  | { readonly kind: 'spawn-failed'; readonly errorCode: string | null; readonly message: string }
  | { readonly kind: 'timed-out'; readonly stdout: string; readonly stderr: string };

export interface RunCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Cap on captured output per stream (bytes). */
  readonly maxOutputBytes?: number;
}

export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<CommandOutcome> {
  const maxBytes = options.maxOutputBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutBytes < maxBytes) stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < maxBytes) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      void childExited(child).then(() =>
        resolve({ kind: 'timed-out', stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }),
      );
    }, options.timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ kind: 'spawn-failed', errorCode: error.code ?? null, message: error.message });
    });
    child.once('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        kind: 'exited',
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** One line saying why a query failed, from its own output where it said something. */
export function describeFailure(command: string, outcome: CommandOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'spawn-failed':
      return outcome.errorCode === 'ENOENT' ? `${command} not found on PATH` : `${command} could not be started: ${outcome.message}`;
    case 'timed-out':
      return `${command} did not answer within ${(timeoutMs / 1000).toFixed(1)} s (killed)`;
    case 'exited': {
      const said = lastMeaningfulLine(outcome.stderr) ?? lastMeaningfulLine(outcome.stdout);
      const how = outcome.signal !== null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
      return said === null ? `${command} ${how}` : `${command} ${how}: ${said}`;
    }
  }
}

export function lastMeaningfulLine(text: string): string | null {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const last = lines.at(-1);
  return last === undefined ? null : last.length > 200 ? `${last.slice(0, 200)}...` : last;
}
