/**
 * What the undici floor row tells beside the goals: at the goal cell (16 in flight, 5 ms) and the
 * ceiling cell (most in flight, instant server), pipebench's marginal CPU per request over the
 * floor's (what pipebench's own code adds to undici) and the floor's over autocannon's (what undici
 * costs beyond a hand-written client); with a pipelined floor row, its CPU over the plain floor's.
 * Ratios are per round, median (as the goals); the µs figures are the rows' medians. Pure.
 */
import { roundRatio, type GoalCells } from './peer-goals.js';
import { findRow, type RoundFigures, type RowSummary } from './peer-summary.js';

export interface FloorComparison {
  /** "pipebench over undici (floor)", ... */
  readonly what: string;
  readonly meaning: string;
  /** "16 in flight, 5ms server". */
  readonly at: string;
  /** Median over rounds of the per-round ratio; null when a row it needs did not run (or had no marginal figure). */
  readonly ratio: number | null;
  /** The rows' median marginal CPU per request (µs): [ours, theirs]; null when missing. */
  readonly usPerRequest: readonly [number | null, number | null];
}

const marginal = (figures: RoundFigures): number | null => figures.marginalCpuUsPerRequest;

export function floorComparisons(
  rows: readonly RowSummary[],
  cells: GoalCells,
  floor: string,
  pipelinedFloor: string | null,
): FloorComparison[] {
  const pairs: [string, string, string][] = [
    ['pipebench', floor, "what pipebench's own code adds per request"],
    [floor, 'autocannon', 'what undici costs beyond a hand-written client'],
    ...(pipelinedFloor === null ? [] : [[pipelinedFloor, floor, 'what pipelining changes in undici'] as [string, string, string]]),
  ];
  const where: [string, number][] = [[cells.goalServer, cells.goalInFlight]];
  if (cells.ceilingServer !== cells.goalServer || cells.ceilingInFlight !== cells.goalInFlight)
    where.push([cells.ceilingServer, cells.ceilingInFlight]);
  return where.flatMap(([server, inFlight]) =>
    pairs.map(([ours, theirs, meaning]) => {
      const [a, b] = [findRow(rows, server, inFlight, ours), findRow(rows, server, inFlight, theirs)];
      return {
        what: `${ours} over ${theirs}`,
        meaning,
        at: `${inFlight} in flight, ${server} server`,
        ratio: roundRatio(a, b, marginal),
        usPerRequest: [a?.median?.marginalCpuUsPerRequest ?? null, b?.median?.marginalCpuUsPerRequest ?? null],
      };
    }),
  );
}

const us = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(1));

export function renderFloorComparisons(comparisons: readonly FloorComparison[]): string {
  return comparisons
    .map(({ what, meaning, at, ratio, usPerRequest: [ours, theirs] }) => {
      const figure = ratio === null ? 'not measured (a row it needs did not run)' : `${ratio.toFixed(3)}x`;
      const gap = ours !== null && theirs !== null ? `, ${us(ours)} vs ${us(theirs)} µs/req: ${(ours - theirs).toFixed(1)} µs` : '';
      return `- ${what} (${meaning}; ${at}): ${figure}${gap}`;
    })
    .join('\n');
}
