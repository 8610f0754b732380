/**
 * Every nvidia-smi process telemetry starts is tracked here, so none outlives the harness: the
 * process 'exit' handler SIGKILLs what is still running (normal exit, process.exit(), and a CLI
 * that turns SIGINT/SIGTERM into an exit). A harness killed outright leaves the streaming sampler
 * writing into a closed pipe, and SIGPIPE ends it at its next line.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const liveChildren = new Set<ChildProcess>();
/** Process groups (a launched server and whatever it started): tracked until seen empty, not only until the leader exits. */
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;

function killAllOnExit(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

function installExitHandler(): void {
  if (!exitHandlerInstalled) {
    process.on('exit', killAllOnExit);
    exitHandlerInstalled = true;
  }
}

export function trackChild(child: ChildProcess): void {
  installExitHandler();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  child.once('error', () => liveChildren.delete(child));
}

/** Pids of tracked children still running (tests check none is left). */
export function liveChildPids(): number[] {
  return [...liveChildren].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/**
 * A child started with `detached: true` leads its own process group: the whole group is killed on
 * exit until terminateGroup has seen it empty.
 */
export function trackGroup(child: ChildProcess): void {
  trackChild(child);
  if (child.pid !== undefined) liveGroups.add(child.pid);
}

/** Pids of tracked process groups not yet seen empty (tests check none is left). */
export function liveGroupIds(): number[] {
  return [...liveGroups];
}

/** Sends a signal to every process of a group; false when none is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty
  }
}

/**
 * Whether a live process of the group is still there. kill(-pgid, 0) also counts zombies, which a
 * container's init may never reap; where /proc exists a group of zombies only counts as gone.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  return pids.some((pid) => {
    try {
      // stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z';
    } catch {
      return false; // gone meanwhile
    }
  });
}

const GROUP_POLL_MS = 25;

async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (groupAlive(pgid)) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
  }
  return true;
}

/** How a group stop went: SIGTERM was enough, or SIGKILL was needed; `left` when processes survived even that. */
export type GroupStop = 'terminated' | 'killed' | 'left';

/**
 * SIGTERM to the leader's whole group, then SIGKILL to the group after graceMs, then a check that
 * no process of the group is left (the leader exiting is not enough: its children may linger).
 */
export async function terminateGroup(child: ChildProcess, graceMs: number): Promise<GroupStop> {
  const pgid = child.pid;
  if (pgid === undefined) return 'terminated';
  const leaderExited = childExited(child);
  signalGroup(pgid, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  await Promise.race([leaderExited, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  let outcome: GroupStop = 'terminated';
  if (!(await groupGone(pgid, Math.max(0, deadline - performance.now())))) {
    signalGroup(pgid, 'SIGKILL');
    outcome = 'killed';
  }
  await leaderExited;
  if (!(await groupGone(pgid, 2_000))) return 'left';
  liveGroups.delete(pgid);
  return outcome;
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
