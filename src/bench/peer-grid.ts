/**
 * Runs bench:http's grid: every cell (server x requests in flight) with every client, each in a
 * fresh process measured by runMeasured, round after round. Each client runs each cell twice back
 * to back, for S and for 3S seconds (marginal-cpu.ts takes its CPU per request from the pair); the
 * longer run gives the row's figures. Odd rounds run the clients of a cell in reverse order and the
 * longer run first, so drift on a shared machine hits every client and both lengths alike. A client
 * that fails a cell costs that cell only.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toError } from '../errors.js';
import { parseProcStatCpuMs } from '../telemetry/harness-health.js';
import { runMeasured } from './child-cpu.js';
import type { BenchServer, Cell, PeerClient } from './peer-clients.js';
import type { ClientFigures } from './peer-output.js';

export interface CellRun {
  readonly round: number;
  readonly seconds: number;
  readonly server: string;
  readonly inFlight: number;
  readonly client: string;
  /** null when the client failed the cell (then `failure` says why). */
  readonly figures: ClientFigures | null;
  readonly failure: string | null;
  /** The client process's CPU, start-up included. */
  readonly cpuMs: number;
  readonly wallMs: number;
  /** The server process's CPU while the client ran. */
  readonly serverCpuMs: number;
}

/** One client's pair of runs of one cell in one round: S and 3S seconds. */
export interface CellPair {
  readonly short: CellRun;
  readonly long: CellRun;
}

/** How much longer the long run of a pair is than the short one. */
export const LONG_RUN_FACTOR = 3;

export interface GridPlan {
  readonly servers: readonly BenchServer[];
  readonly levels: readonly number[];
  /** S: the short run's length; the long run is LONG_RUN_FACTOR x S. */
  readonly seconds: number;
  readonly rounds: number;
  readonly clients: readonly PeerClient[];
}

export interface GridContext {
  readonly port: number;
  readonly serverPid: number;
  readonly ticksPerSec: number;
  /** Called after every client run (the bench prints progress). */
  readonly onRun?: (run: CellRun) => void;
}

export interface GridResult {
  readonly pairs: readonly CellPair[];
}

async function runOne(client: PeerClient, cell: Cell, round: number, context: GridContext): Promise<CellRun> {
  const scratchDir = await mkdtemp(join(tmpdir(), 'pipebench-peer-'));
  const base = { round, seconds: cell.seconds, server: cell.server.name, inFlight: cell.inFlight, client: client.name };
  try {
    const command = await client.command(cell, { port: context.port, scratchDir });
    const serverCpuNowMs = async (): Promise<number> =>
      parseProcStatCpuMs(await readFile(`/proc/${context.serverPid}/stat`, 'utf8'), context.ticksPerSec) ?? Number.NaN;
    const serverBefore = await serverCpuNowMs();
    const child = await runMeasured(command.argv, { ticksPerSec: context.ticksPerSec });
    const serverCpuMs = (await serverCpuNowMs()) - serverBefore;
    const measured = { cpuMs: child.cpuMs, wallMs: child.wallMs, serverCpuMs };
    if (child.exitCode !== 0) {
      const why = (child.stderr.trim() || child.stdout.trim()).split('\n').at(-1) ?? '';
      return { ...base, ...measured, figures: null, failure: `exit ${child.exitCode}: ${why}` };
    }
    try {
      return { ...base, ...measured, figures: await command.figures(child.stdout), failure: null };
    } catch (error) {
      return { ...base, ...measured, figures: null, failure: toError(error).message };
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

function inRoundOrder<T>(items: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? items : [...items].reverse();
}

export async function runGrid(plan: GridPlan, context: GridContext): Promise<GridResult> {
  const pairs: CellPair[] = [];
  const lengths = [plan.seconds, plan.seconds * LONG_RUN_FACTOR];
  for (let round = 0; round < plan.rounds; round++) {
    for (const server of plan.servers) {
      for (const inFlight of plan.levels) {
        for (const client of inRoundOrder(plan.clients, round)) {
          const runs: CellRun[] = [];
          for (const seconds of inRoundOrder(lengths, round)) {
            const run = await runOne(client, { server, inFlight, seconds }, round, context);
            runs.push(run);
            context.onRun?.(run);
          }
          const [short, long] = runs.sort((a, b) => a.seconds - b.seconds);
          pairs.push({ short: short!, long: long! });
        }
      }
    }
  }
  return { pairs };
}
