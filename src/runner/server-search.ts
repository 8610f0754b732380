/**
 * Which server configurations a sweep launches (issue 15). Grid: every one. Search: the other
 * parameters enumerated, and along the search axis (maxBatchSize) the batch-size search's doubling
 * then bisection (search.ts searchListed), where a value "passes" when raising it further is worth
 * a run: it gained throughput over the last value that passed, the server's batcher filled it (when
 * its metrics say), and it did not break the budget above a value that met it.
 */
import { serverConfigurations, type ServerParams, type ServerSpec } from '../core/server-config.js';
import { maxListedProbes, searchListed } from './search.js';

/** Raising the axis must add at least this much throughput to be worth the next run. */
export const MIN_GAIN = 0.05;
/** The batcher "filled" a maximum when its mean batch reached this share of it. */
export const FILL_SHARE = 0.8;

/** What one configuration measured, for the search's next move. */
export interface ConfigOutcome {
  /** False when its server failed (never ready, crashed, ignored SIGTERM). */
  readonly measured: boolean;
  /** Its highest items/s over its complete steps; null when none completed. */
  readonly itemsPerSec: number | null;
  /** Whether any of its steps met the budget. */
  readonly withinBudget: boolean;
  /** Mean batch from the server's own metrics; null when not scraped. */
  readonly serverBatchMean: number | null;
}

/** Launches and measures one configuration; null when the run was interrupted. */
export type ConfigProbe = (params: ServerParams) => Promise<ConfigOutcome | null>;

/** Runs the probes the strategy asks for; resolves false when a probe stopped it (interrupted). */
export async function sweepServerConfigs(spec: ServerSpec, probe: ConfigProbe): Promise<boolean> {
  const axis = spec.searchAxis;
  const axisValues = axis === null ? undefined : spec.params[axis];
  if (axis === null || axisValues === undefined) {
    for (const params of serverConfigurations(spec.params)) if ((await probe(params)) === null) return false;
    return true;
  }
  const { [axis]: _axis, ...others } = spec.params;
  const values = [...axisValues].sort((a, b) => a - b);
  for (const fixed of serverConfigurations(others)) {
    const passed: { value: number; outcome: ConfigOutcome }[] = [];
    const outcome = await searchListed(values, async (value) => {
      const measured = await probe({ ...fixed, [axis]: value });
      if (measured === null) return null;
      const worth = worthRaising(
        value,
        measured,
        passed.filter((p) => p.value < value).map((p) => p.outcome),
      );
      if (worth) passed.push({ value, outcome: measured });
      return worth;
    });
    if (!outcome.finished) return false;
  }
  return true;
}

/** Whether a value is worth raising past, given the values below it that were. */
export function worthRaising(value: number, outcome: ConfigOutcome, below: readonly ConfigOutcome[]): boolean {
  if (!outcome.measured || outcome.itemsPerSec === null) return false;
  const reference = Math.max(0, ...below.map((b) => b.itemsPerSec ?? 0));
  if (below.length > 0 && outcome.itemsPerSec < reference * (1 + MIN_GAIN)) return false;
  if (outcome.serverBatchMean !== null && outcome.serverBatchMean < FILL_SHARE * value) return false;
  // Latency grows with a larger maximum once it no longer fills faster: over budget above a value that met it stays over.
  return outcome.withinBudget || !below.some((b) => b.withinBudget);
}

/** Configurations in the full grid. */
export function gridSize(spec: ServerSpec): number {
  return Object.values(spec.params).reduce((n, values) => n * values.length, 1);
}

/** The most configurations the sweep can launch: the grid, or per value of the other parameters the search's worst case. */
export function maxServerRuns(spec: ServerSpec): number {
  const axisValues = spec.searchAxis === null ? undefined : spec.params[spec.searchAxis];
  if (axisValues === undefined) return gridSize(spec);
  return (gridSize(spec) / axisValues.length) * maxListedProbes([...axisValues].sort((a, b) => a - b));
}
