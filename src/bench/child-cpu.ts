/**
 * Runs a client as a child process and measures the CPU it used, the same way for every client
 * (pipebench, autocannon, hey, wrk): the command runs under `/bin/sh`, which waits for it and then
 * reads its own /proc/<pid>/stat, whose cutime + cstime are the CPU of the children it waited for
 * (getrusage(RUSAGE_CHILDREN) of the shell: the whole client, every thread, start-up included).
 * The shell writes that line to fd 3, so the client's stdout stays its own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { text } from 'node:stream/consumers';

export interface MeasuredChild {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The client's user + system CPU, start-up and exit included. */
  readonly cpuMs: number;
  readonly wallMs: number;
}

const REPORT_OWN_STAT = '"$@"; rc=$?; read -r line < /proc/$$/stat; printf "%s\\n" "$line" >&3; exit $rc';

/** Clock ticks per second of /proc's CPU fields (USER_HZ; 100 nearly everywhere). */
export function clockTicksPerSec(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** cutime + cstime of a /proc/<pid>/stat line, in clock ticks (fields 16 and 17 of proc(5); the name in parentheses may hold spaces). */
export function waitedChildrenTicks(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) throw new Error(`not a /proc/<pid>/stat line: ${statLine.slice(0, 80)}`);
  return cutime + cstime;
}

export async function runMeasured(
  argv: readonly string[],
  options: { readonly ticksPerSec: number; readonly env?: NodeJS.ProcessEnv; readonly cwd?: string },
): Promise<MeasuredChild> {
  const startedMs = performance.now();
  const child = spawn('/bin/sh', ['-c', REPORT_OWN_STAT, 'sh', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    ...(options.env && { env: options.env }),
    ...(options.cwd && { cwd: options.cwd }),
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const [stdout, stderr, stat, exitCode] = await Promise.all([
    text(child.stdout!),
    text(child.stderr!),
    text(child.stdio[3] as NodeJS.ReadableStream),
    exited,
  ]);
  const cpuMs = (waitedChildrenTicks(stat.trim()) * 1000) / options.ticksPerSec;
  return { exitCode, stdout, stderr, cpuMs, wallMs: performance.now() - startedMs };
}
