/**
 * bench:http's Markdown: the table (one row per server x in flight x client, medians over rounds),
 * each client's start-up CPU, and the goals. Renderers return strings; http.ts prints them.
 */
import type { GoalResult } from './peer-goals.js';
import type { RowSummary } from './peer-summary.js';

export const TABLE_HEADER = [
  '| server | in flight | client | req/s | p50 ms | p99 ms | achieved in flight | CPU µs/req, whole process | CPU µs/req, marginal | server CPU |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];

/** A client that was asked for but cannot run here: its rows say why. */
export interface MissingClient {
  readonly client: string;
  readonly reason: string;
}

const ms = (us: number): string => (us / 1000).toFixed(2);
const whole = (value: number): string => Math.round(value).toLocaleString('en-US');

function rowLine(row: RowSummary): string {
  const lead = `| ${row.server} | ${row.inFlight} | ${row.client} |`;
  const m = row.median;
  if (m === null) return `${lead} failed: ${row.failure ?? 'no figures'} | | | | | | |`;
  return (
    `${lead} ${whole(m.requestsPerSec)} | ${ms(m.p50Us)} | ${ms(m.p99Us)} | ${m.achievedInFlight.toFixed(2)} | ` +
    `${m.cpuUsPerRequest.toFixed(1)} | ${m.marginalCpuUsPerRequest?.toFixed(1) ?? 'n/a'} | ${m.serverCpuPct.toFixed(0)} % |`
  );
}

/** The rows, with each missing client's row (its reason) after the last row of every cell. */
export function renderTable(rows: readonly RowSummary[], missing: readonly MissingClient[]): string {
  const lines = [...TABLE_HEADER];
  rows.forEach((row, index) => {
    lines.push(rowLine(row));
    const next = rows[index + 1];
    const cellEnds = !next || next.server !== row.server || next.inFlight !== row.inFlight;
    if (cellEnds) for (const m of missing) lines.push(`| ${row.server} | ${row.inFlight} | ${m.client} | ${m.reason} | | | | | | |`);
  });
  return lines.join('\n');
}

/** What each client's own figures are, so a reader does not compare unlike things. */
export const FIGURE_NOTES = [
  "Each client's own figures: requests/s over its own elapsed time; p50/p99 at its own resolution (pipebench and wrk: µs;",
  'hey: 0.1 ms; autocannon: whole ms, so its mean, and the in flight taken from it, reads low against a fast server).',
  'wrk 4 adds synthetic samples to its latency histogram before printing (stats_correct, for coordinated omission), so',
  'its mean, p99 and in flight from them can exceed what was in flight. Each client runs each cell for S and 3S seconds',
  "back to back; the row's figures are the longer run's. CPU µs/req, whole process: its CPU (start-up included) / requests",
  'it finished; marginal: (CPU(3S) - CPU(S)) / (requests(3S) - requests(S)), what one more request costs (n/a: no slope).',
].join('\n');

export function renderFixedCpu(fixedMs: ReadonlyMap<string, number>): string {
  const parts = [...fixedMs].map(([client, cpuMs]) => `${client} ${cpuMs.toFixed(0)} ms`);
  return `fixed CPU per process (start-up, exit and all else that does not grow with the requests: the pairs' intercept, median): ${parts.join(', ')}`;
}

export function renderGoals(goals: readonly GoalResult[]): string {
  return goals.map((g) => `- ${g.goal}: ${g.measured} -> ${g.state}`).join('\n');
}
