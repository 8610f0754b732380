/**
 * GPU memory per process (`--query-compute-apps`), taken at step boundaries so a run shows its own
 * footprint next to anything else on the GPU. In a container with its own pid namespace the pids
 * nvidia-smi prints are the host's, so `own` may be false for our processes there.
 */
import { epochNowMs, type Clock } from '../core/clock.js';
import { describeFailure, runCommand } from './run-command.js';
import type { ComputeApp, ComputeAppsResult } from '../core/report/telemetry.js';

export const COMPUTE_APPS_ARGS = ['--query-compute-apps=pid,process_name,used_memory', '--format=csv,noheader,nounits'] as const;

const MiB = 1024 * 1024;

/** Parses with or without header and units; lines that are not `pid, name, memory` are skipped. */
export function parseComputeApps(csv: string, ownPids: ReadonlySet<number>): ComputeApp[] {
  const apps: ComputeApp[] = [];
  for (const line of csv.split('\n')) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < 3 || !/^\d+$/.test(cells[0]!)) continue;
    const pid = Number(cells[0]);
    const memory = /^(\d+(?:\.\d+)?)\s*(MiB)?$/.exec(cells[cells.length - 1]!);
    apps.push({
      pid,
      processName: cells.slice(1, -1).join(','),
      usedMemBytes: memory === null ? null : Math.round(Number(memory[1]) * MiB),
      own: ownPids.has(pid),
    });
  }
  return apps;
}

export interface QueryComputeAppsOptions {
  readonly command?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** This run's processes (default: the harness itself); add model worker processes. */
  readonly ownPids?: readonly number[];
  readonly clock?: Clock;
}

export async function queryComputeApps(options: QueryComputeAppsOptions = {}): Promise<ComputeAppsResult> {
  const command = options.command ?? 'nvidia-smi';
  const timeoutMs = options.timeoutMs ?? 3000;
  const atMs = (options.clock ?? epochNowMs)();
  const outcome = await runCommand(command, COMPUTE_APPS_ARGS, { env: options.env, timeoutMs });
  if (outcome.kind !== 'exited' || outcome.code !== 0)
    return { kind: 'unavailable', atMs, reason: describeFailure(command, outcome, timeoutMs) };
  const apps = parseComputeApps(outcome.stdout, new Set(options.ownPids ?? [process.pid]));
  const own = apps.filter((app) => app.own);
  const ownMemBytes = own.length === 0 ? null : own.reduce((sum, app) => sum + (app.usedMemBytes ?? 0), 0);
  return { kind: 'ok', atMs, apps, ownMemBytes };
}
