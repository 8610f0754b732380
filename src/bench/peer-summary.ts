/**
 * bench:http's figures per table row (server x in flight x client): each round's figures, then
 * their median. Per round, from the pair of runs (S and 3S seconds): requests/s, p50/p99, achieved
 * in flight (Little's law on the client's own figures: requests/s x mean latency) and the server's
 * CPU from the longer run; CPU per request whole (the longer run's process CPU / requests it
 * finished, start-up included) and marginal (marginal-cpu.ts: the pair's extra CPU / extra requests).
 * Pure: from the grid's runs to rows.
 */
import { marginalCpu } from './marginal-cpu.js';
import { median } from './median.js';
import type { CellPair, CellRun, GridResult } from './peer-grid.js';

export interface RoundFigures {
  readonly round: number;
  readonly requestsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly achievedInFlight: number;
  /** The longer run's whole-process CPU / requests it finished. */
  readonly cpuUsPerRequest: number;
  /** null when the shorter run failed or the pair gives no slope. */
  readonly marginalCpuUsPerRequest: number | null;
  /** The CPU per process that does not grow with the requests (the pair's intercept), in ms; null with no marginal figure. */
  readonly fixedCpuMs: number | null;
  readonly serverCpuPct: number;
}

type Medians = { readonly [K in keyof Omit<RoundFigures, 'round'>]: RoundFigures[K] };

export interface RowSummary {
  readonly server: string;
  readonly inFlight: number;
  readonly client: string;
  readonly perRound: readonly RoundFigures[];
  /** Medians of perRound (of the rounds that have the figure); null when no round measured (then `failure` is the last reason). */
  readonly median: Medians | null;
  readonly failure: string | null;
}

export function rowKey(server: string, inFlight: number, client: string): string {
  return `${server} @${inFlight} ${client}`;
}

/** The row of one client at one cell, if it ran. */
export function findRow(rows: readonly RowSummary[], server: string, inFlight: number, client: string): RowSummary | undefined {
  const key = rowKey(server, inFlight, client);
  return rows.find((r) => rowKey(r.server, r.inFlight, r.client) === key);
}

const finishedRequests = (run: CellRun): number => (run.figures === null ? 0 : run.figures.requests + run.figures.errors);

function roundFigures({ short, long }: CellPair): RoundFigures | null {
  const figures = long.figures;
  if (figures === null) return null;
  const marginal =
    short.figures === null
      ? null
      : marginalCpu({ cpuMs: short.cpuMs, requests: finishedRequests(short) }, { cpuMs: long.cpuMs, requests: finishedRequests(long) });
  return {
    round: long.round,
    requestsPerSec: figures.requestsPerSec,
    p50Us: figures.p50Us,
    p99Us: figures.p99Us,
    achievedInFlight: (figures.requestsPerSec * figures.meanUs) / 1e6,
    cpuUsPerRequest: (long.cpuMs * 1000) / finishedRequests(long),
    marginalCpuUsPerRequest: marginal?.usPerRequest ?? null,
    fixedCpuMs: marginal?.fixedMs ?? null,
    serverCpuPct: long.wallMs > 0 ? (long.serverCpuMs / long.wallMs) * 100 : 0,
  };
}

/** The median of the rounds that have the figure; null when none has it. */
function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : median(present);
}

function medianOf(rounds: readonly RoundFigures[]): Medians | null {
  if (rounds.length === 0) return null;
  const of = (pick: (figures: RoundFigures) => number): number => median(rounds.map(pick));
  return {
    requestsPerSec: of((f) => f.requestsPerSec),
    p50Us: of((f) => f.p50Us),
    p99Us: of((f) => f.p99Us),
    achievedInFlight: of((f) => f.achievedInFlight),
    cpuUsPerRequest: of((f) => f.cpuUsPerRequest),
    marginalCpuUsPerRequest: medianOrNull(rounds.map((f) => f.marginalCpuUsPerRequest)),
    fixedCpuMs: medianOrNull(rounds.map((f) => f.fixedCpuMs)),
    serverCpuPct: of((f) => f.serverCpuPct),
  };
}

/** One row per server x level x client, in the order the grid ran them. */
export function summarizeRows(result: GridResult): RowSummary[] {
  const byRow = new Map<string, CellPair[]>();
  for (const pair of result.pairs) {
    const key = rowKey(pair.long.server, pair.long.inFlight, pair.long.client);
    byRow.set(key, [...(byRow.get(key) ?? []), pair]);
  }
  return [...byRow.values()].map((pairs) => {
    const first = pairs[0]!.long;
    const perRound = pairs.map(roundFigures).filter((figures): figures is RoundFigures => figures !== null);
    const failed = pairs.flatMap((pair) => [pair.short, pair.long]).findLast((run) => run.failure !== null);
    return {
      server: first.server,
      inFlight: first.inFlight,
      client: first.client,
      perRound,
      median: medianOf(perRound),
      failure: failed?.failure ?? null,
    };
  });
}

/** Each client's fixed CPU per process (the pairs' intercepts, median over every cell and round), in ms. */
export function fixedCpuMs(rows: readonly RowSummary[]): Map<string, number> {
  const byClient = new Map<string, number[]>();
  for (const row of rows)
    for (const round of row.perRound)
      if (round.fixedCpuMs !== null) byClient.set(row.client, [...(byClient.get(row.client) ?? []), round.fixedCpuMs]);
  return new Map([...byClient].map(([client, values]) => [client, median(values)]));
}
