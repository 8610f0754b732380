/**
 * bench:http's figures per table row (server x in flight x client): each round's figures, then
 * their median. Per round: achieved in flight by Little's law on the client's own figures
 * (requests/s x mean latency); CPU per request = the client process's CPU / requests it finished
 * (start-up included), and net of start-up (minus that client's start-up run in the same round).
 * Pure: from the grid's runs to rows.
 */
import { median } from './median.js';
import type { CellRun, GridResult } from './peer-grid.js';

export interface RoundFigures {
  readonly round: number;
  readonly requestsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly achievedInFlight: number;
  readonly cpuUsPerRequest: number;
  readonly netCpuUsPerRequest: number;
  readonly serverCpuPct: number;
}

export interface RowSummary {
  readonly server: string;
  readonly inFlight: number;
  readonly client: string;
  readonly perRound: readonly RoundFigures[];
  /** Medians of perRound; null when no round measured (then `failure` is the last reason). */
  readonly median: Omit<RoundFigures, 'round'> | null;
  readonly failure: string | null;
}

export function rowKey(server: string, inFlight: number, client: string): string {
  return `${server} @${inFlight} ${client}`;
}

function roundFigures(run: CellRun, startupCpuMs: number): RoundFigures | null {
  const figures = run.figures;
  if (figures === null) return null;
  const finished = figures.requests + figures.errors;
  return {
    round: run.round,
    requestsPerSec: figures.requestsPerSec,
    p50Us: figures.p50Us,
    p99Us: figures.p99Us,
    achievedInFlight: (figures.requestsPerSec * figures.meanUs) / 1e6,
    cpuUsPerRequest: (run.cpuMs * 1000) / finished,
    netCpuUsPerRequest: (Math.max(0, run.cpuMs - startupCpuMs) * 1000) / finished,
    serverCpuPct: run.wallMs > 0 ? (run.serverCpuMs / run.wallMs) * 100 : 0,
  };
}

function medianOf(rounds: readonly RoundFigures[]): Omit<RoundFigures, 'round'> | null {
  if (rounds.length === 0) return null;
  const of = (pick: (figures: RoundFigures) => number): number => median(rounds.map(pick));
  return {
    requestsPerSec: of((f) => f.requestsPerSec),
    p50Us: of((f) => f.p50Us),
    p99Us: of((f) => f.p99Us),
    achievedInFlight: of((f) => f.achievedInFlight),
    cpuUsPerRequest: of((f) => f.cpuUsPerRequest),
    netCpuUsPerRequest: of((f) => f.netCpuUsPerRequest),
    serverCpuPct: of((f) => f.serverCpuPct),
  };
}

/** One row per server x level x client, in the order the grid ran them. */
export function summarizeRows(result: GridResult): RowSummary[] {
  const startupMs = new Map(result.startups.map((s) => [`${s.round} ${s.client}`, s.cpuMs]));
  const byRow = new Map<string, CellRun[]>();
  for (const run of result.runs) {
    const key = rowKey(run.server, run.inFlight, run.client);
    byRow.set(key, [...(byRow.get(key) ?? []), run]);
  }
  return [...byRow.values()].map((runs) => {
    const first = runs[0]!;
    const perRound = runs
      .map((run) => roundFigures(run, startupMs.get(`${run.round} ${run.client}`) ?? 0))
      .filter((figures): figures is RoundFigures => figures !== null);
    return {
      server: first.server,
      inFlight: first.inFlight,
      client: first.client,
      perRound,
      median: medianOf(perRound),
      failure: runs.findLast((run) => run.failure !== null)?.failure ?? null,
    };
  });
}

/** Each client's start-up and exit CPU (median over rounds), in ms. */
export function startupCpuMs(result: GridResult): Map<string, number> {
  const byClient = new Map<string, number[]>();
  for (const run of result.startups) byClient.set(run.client, [...(byClient.get(run.client) ?? []), run.cpuMs]);
  return new Map([...byClient].map(([client, values]) => [client, median(values)]));
}
