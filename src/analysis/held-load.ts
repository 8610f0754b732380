/**
 * Did a closed-loop step hold the load it promised? Its achievedConcurrency (the mean in flight
 * while it sent, see InFlightFigures) against the N it planned; below HELD_LOAD_SHARE x N, one
 * warning that names the likely cause from the step's own figures: connections (the pool cannot
 * carry N at once), client CPU (pipebench's own CPU over the step), event-loop delay (its p99 over
 * the step). Pure.
 */
import type { StepReport } from '../core/report/step.js';
import type { TargetSpec } from '../core/workload.js';
import { formatMs } from '../format.js';
import { stepFacts, type BottleneckContext, type HarnessFacts } from './bottleneck-facts.js';
import { CLIENT_CPU_PCT, CLIENT_LOOP_DELAY_SHARE } from './bottleneck.js';

/** Below this share of the planned in-flight count, the step under-drove its target. */
const HELD_LOAD_SHARE = 0.95;
/** An event-loop p99 under this never explains a lost slot: timers alone read about that much. */
const LOOP_DELAY_FLOOR_MS = 1;

export type HeldLoadSubject = Pick<
  StepReport,
  'index' | 'stage' | 'mode' | 'batchSize' | 'concurrency' | 'achievedConcurrency' | 'openLoop' | 'profile'
> &
  Parameters<typeof stepFacts>[0];

/**
 * The in-flight count a closed-loop step planned, in achievedConcurrency's unit: requests over
 * HTTP; items in process, where static mode keeps whole batches (at least one) in flight. null for
 * open-loop and scenario steps.
 */
export function plannedInFlight(step: HeldLoadSubject, targetKind: TargetSpec['kind']): number | null {
  if (step.concurrency === null || step.openLoop !== null || step.profile !== undefined) return null;
  if (targetKind === 'http' || step.mode !== 'static') return step.concurrency;
  return Math.max(1, Math.floor(step.concurrency / step.batchSize)) * step.batchSize;
}

/** One warning when the step held less than HELD_LOAD_SHARE of its planned in-flight count; null otherwise. */
export function heldLoadWarning(step: HeldLoadSubject, target: TargetSpec, context: BottleneckContext): string | null {
  const planned = plannedInFlight(step, target.kind);
  const achieved = step.achievedConcurrency;
  if (planned === null || achieved === null || achieved === undefined || achieved >= HELD_LOAD_SHARE * planned) return null;
  const facts = stepFacts(step, context);
  const causes = [
    connectionCause(target, planned),
    cpuCause(facts?.harness ?? null),
    loopCause(facts?.harness ?? null, facts?.e2e.p50 ?? null),
  ].filter((cause): cause is string => cause !== null);
  const why =
    causes.length > 0
      ? `likely cause: ${causes.join('; ')}`
      : `cause not identified from the step's figures (${harnessFigures(facts?.harness ?? null)})`;
  return (
    `step ${step.index} (${step.stage} batch ${step.batchSize} x${step.concurrency} in flight): held ${achieved.toFixed(1)} in flight, ` +
    `${((achieved / planned) * 100).toFixed(0)} % of the ${planned} planned (below ${HELD_LOAD_SHARE * 100} %): the target saw less load than asked; ${why}`
  );
}

function connectionCause(target: TargetSpec, planned: number): string | null {
  if (target.kind !== 'http' || target.connections === 'auto') return null;
  const capacity = target.connections * target.pipelining;
  if (capacity >= planned) return null;
  return (
    `connections: ${target.connections} connection${target.connections === 1 ? '' : 's'} x pipelining ${target.pipelining} carry at most ` +
    `${capacity} requests at once (raise --connections or target.connections to ${planned})`
  );
}

function cpuCause(harness: HarnessFacts | null): string | null {
  if (harness?.cpuPct === null || harness?.cpuPct === undefined || harness.cpuPct < CLIENT_CPU_PCT) return null;
  return `client CPU: pipebench used ${harness.cpuPct.toFixed(0)} % of one core ${overText(harness)} (${CLIENT_CPU_PCT} % or more: it sends late)`;
}

function loopCause(harness: HarnessFacts | null, e2eP50Ms: number | null): string | null {
  const p99 = harness?.loopDelayP99Ms ?? null;
  if (harness === null || p99 === null || e2eP50Ms === null) return null;
  if (p99 < LOOP_DELAY_FLOOR_MS || p99 < CLIENT_LOOP_DELAY_SHARE * e2eP50Ms) return null;
  return `event-loop delay: p99 ${formatMs(p99)} ${overText(harness)} against an e2e p50 of ${formatMs(e2eP50Ms)} (a late loop sends late)`;
}

function overText(harness: HarnessFacts): string {
  return harness.over === 'step' ? 'over the step' : 'over the whole run';
}

function harnessFigures(harness: HarnessFacts | null): string {
  if (harness === null) return 'no host samples';
  const cpu = harness.cpuPct === null ? 'CPU not known' : `CPU ${harness.cpuPct.toFixed(0)} % of one core`;
  const loop = harness.loopDelayP99Ms === null ? 'event-loop delay not known' : `event-loop p99 ${formatMs(harness.loopDelayP99Ms)}`;
  return `${cpu}, ${loop} ${overText(harness)}`;
}
