/**
 * bench:http's Markdown: the table (one row per server x in flight x client, medians over rounds),
 * each client's start-up CPU, and the goals. Renderers return strings; http.ts prints them.
 */
import type { GoalResult } from './peer-goals.js';
import type { RowSummary } from './peer-summary.js';

export const TABLE_HEADER = [
  '| server | in flight | client | req/s | p50 ms | p99 ms | achieved in flight | CPU µs/req | net of start-up | server CPU |',
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
    `${m.cpuUsPerRequest.toFixed(1)} | ${m.netCpuUsPerRequest.toFixed(1)} | ${m.serverCpuPct.toFixed(0)} % |`
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
  "its mean, p99 and in flight from them can exceed what was in flight. CPU µs/req: the client process's whole CPU",
  '(start-up included) / requests it finished; net of start-up: less its start-up run in the same round.',
].join('\n');

export function renderStartup(startupMs: ReadonlyMap<string, number>): string {
  const parts = [...startupMs].map(([client, cpuMs]) => `${client} ${cpuMs.toFixed(0)} ms`);
  return `start-up and exit CPU per process (1 s at 1 in flight against a 1 s server, median): ${parts.join(', ')}`;
}

export function renderGoals(goals: readonly GoalResult[]): string {
  return goals.map((g) => `- ${g.goal}: ${g.measured} -> ${g.state}`).join('\n');
}
