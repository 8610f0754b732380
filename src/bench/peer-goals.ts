/**
 * bench:http's goals (issue 16), judged on ratios taken within each round and their median, so
 * the machine's drift between rounds cancels. At 1 worker, 16 in flight against the 5 ms server:
 * requests/s >= 1.0x autocannon's and >= 0.9x hey's, p99 <= 1.2x hey's, CPU per request (marginal:
 * marginal-cpu.ts) <= autocannon's, there and at the ceiling cell; at every cell, achieved in flight >= 0.97 N; with N workers at the
 * ceiling cell (instant server, most in flight), requests/s >= 0.9 N x 1 worker's, unless the
 * server was saturated (>= 90 % of its one core), where >= 1.0x is all there is to gain.
 */
import { median } from './median.js';
import { findRow, type RoundFigures, type RowSummary } from './peer-summary.js';

export interface GoalResult {
  readonly goal: string;
  /** The measured median, as printed. */
  readonly measured: string;
  readonly state: 'met' | 'NOT met' | 'not measured';
}

export interface GoalCells {
  readonly goalServer: string;
  readonly goalInFlight: number;
  readonly ceilingServer: string;
  readonly ceilingInFlight: number;
  /** The pipebench-with-workers client and its N; null when that row did not run. */
  readonly workers: { readonly client: string; readonly count: number } | null;
}

const PIPEBENCH = 'pipebench';

/**
 * Median over rounds of pick(ours) / pick(theirs), for the rounds where both figures are there and
 * positive (a marginal CPU figure at or below 0 is noise, not a measurement); null if none.
 */
export function roundRatio(
  ours: RowSummary | undefined,
  theirs: RowSummary | undefined,
  pick: (f: RoundFigures) => number | null,
): number | null {
  if (!ours || !theirs) return null;
  const ratios = ours.perRound.flatMap((mine) => {
    const other = theirs.perRound.find((f) => f.round === mine.round);
    const [a, b] = [pick(mine), other ? pick(other) : null];
    return a !== null && b !== null && a > 0 && b > 0 ? [a / b] : [];
  });
  return ratios.length > 0 ? median(ratios) : null;
}

function judge(goal: string, value: number | null, pass: (v: number) => boolean, why = 'a row it needs did not run'): GoalResult {
  if (value === null) return { goal, measured: why, state: 'not measured' };
  return { goal, measured: `${value.toFixed(3)}x`, state: pass(value) ? 'met' : 'NOT met' };
}

export function judgeGoals(rows: readonly RowSummary[], cells: GoalCells): GoalResult[] {
  const row = (server: string, inFlight: number, client: string): RowSummary | undefined => findRow(rows, server, inFlight, client);
  const at = `${cells.goalInFlight} in flight, ${cells.goalServer} server`;
  const ours = row(cells.goalServer, cells.goalInFlight, PIPEBENCH);
  const autocannon = row(cells.goalServer, cells.goalInFlight, 'autocannon');
  const hey = row(cells.goalServer, cells.goalInFlight, 'hey');
  const goals = [
    judge(
      `requests/s >= 1.0x autocannon (${at})`,
      roundRatio(ours, autocannon, (f) => f.requestsPerSec),
      (v) => v >= 1,
    ),
    judge(
      `requests/s >= 0.9x hey (${at})`,
      roundRatio(ours, hey, (f) => f.requestsPerSec),
      (v) => v >= 0.9,
    ),
    judge(
      `p99 <= 1.2x hey's (${at})`,
      roundRatio(ours, hey, (f) => f.p99Us),
      (v) => v <= 1.2,
    ),
    judge(
      `CPU per request, marginal, <= autocannon's (${at})`,
      roundRatio(ours, autocannon, (f) => f.marginalCpuUsPerRequest),
      (v) => v <= 1,
    ),
  ];
  const ceiling = `${cells.ceilingInFlight} in flight, ${cells.ceilingServer} server`;
  if (ceiling !== at)
    goals.push(
      judge(
        `CPU per request, marginal, <= autocannon's (${ceiling})`,
        roundRatio(
          row(cells.ceilingServer, cells.ceilingInFlight, PIPEBENCH),
          row(cells.ceilingServer, cells.ceilingInFlight, 'autocannon'),
          (f) => f.marginalCpuUsPerRequest,
        ),
        (v) => v <= 1,
      ),
    );
  goals.push(achievedInFlightGoal(rows));
  goals.push(workersGoal(row(cells.ceilingServer, cells.ceilingInFlight, PIPEBENCH), cells, row));
  return goals;
}

/** The worst pipebench cell (1 worker) by achieved in flight / planned. */
function achievedInFlightGoal(rows: readonly RowSummary[]): GoalResult {
  const goal = 'achieved in flight >= 0.97 N (pipebench, 1 worker, every cell)';
  const shares = rows
    .filter((r) => r.client === PIPEBENCH && r.median !== null)
    .map((r) => ({ row: r, share: r.median!.achievedInFlight / r.inFlight }));
  if (shares.length === 0) return { goal, measured: 'no pipebench cell measured', state: 'not measured' };
  const worst = shares.reduce((a, b) => (b.share < a.share ? b : a));
  return {
    goal,
    measured: `worst ${worst.share.toFixed(3)} N (${worst.row.median!.achievedInFlight.toFixed(2)} of ${worst.row.inFlight}, ${worst.row.server} server)`,
    state: worst.share >= 0.97 ? 'met' : 'NOT met',
  };
}

function workersGoal(
  oneWorker: RowSummary | undefined,
  cells: GoalCells,
  row: (server: string, inFlight: number, client: string) => RowSummary | undefined,
): GoalResult {
  const goal = `requests/s with N workers scale with cores until the server saturates (${cells.ceilingInFlight} in flight, ${cells.ceilingServer} server)`;
  if (cells.workers === null) return { goal, measured: 'needs --workers', state: 'not measured' };
  const { client, count } = cells.workers;
  const withWorkers = row(cells.ceilingServer, cells.ceilingInFlight, client);
  const ratio = roundRatio(withWorkers, oneWorker, (f) => f.requestsPerSec);
  if (ratio === null || !withWorkers?.median) return { goal, measured: 'a row it needs did not run', state: 'not measured' };
  const serverPct = withWorkers.median.serverCpuPct;
  const saturated = serverPct >= 90;
  return {
    goal,
    measured: `${ratio.toFixed(3)}x 1 worker's with ${count} workers; server at ${serverPct.toFixed(0)} % of a core${saturated ? ' (saturated)' : ''}`,
    state: ratio >= 0.9 * count || (saturated && ratio >= 1) ? 'met' : 'NOT met',
  };
}
