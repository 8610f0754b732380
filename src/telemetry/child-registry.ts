/**
 * Every nvidia-smi process telemetry starts is tracked here, so none outlives the harness: the
 * process 'exit' handler SIGKILLs what is still running (normal exit, process.exit(), and a CLI
 * that turns SIGINT/SIGTERM into an exit). A harness killed outright leaves the streaming sampler
 * writing into a closed pipe, and SIGPIPE ends it at its next line.
 */
import type { ChildProcess } from 'node:child_process';

const liveChildren = new Set<ChildProcess>();
let exitHandlerInstalled = false;

function killAllOnExit(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
}

export function trackChild(child: ChildProcess): void {
  if (!exitHandlerInstalled) {
    process.on('exit', killAllOnExit);
    exitHandlerInstalled = true;
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  child.once('error', () => liveChildren.delete(child));
}

/** Pids of tracked children still running (tests check none is left). */
export function liveChildPids(): number[] {
  return [...liveChildren].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** Resolves once the child has exited (at once if it already has). */
export function childExited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
export async function terminateChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = childExited(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
