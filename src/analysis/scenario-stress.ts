/**
 * stress: the held levels in order, the first that broke the budget, the highest sustainable one
 * below it, and whether it degraded gracefully past the break or collapsed.
 */
import { formatMs, formatPct, formatRate } from '../format.js';
import type { ScenarioFacts } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import type { Budget } from '../core/workload.js';
import { checkBudget, passesAll } from './budget.js';
import { stepOfStage } from './scenario-windows.js';
import { isHold, placeStages } from '../load/placed-stages.js';
import type { StressLevel, StressVerdict } from '../core/report/scenario-verdict.js';

/**
 * Graceful past the break: each level keeps at least 80 % of the best level's throughput (the
 * service keeps serving what it can) ...
 */
export const GRACEFUL_THROUGHPUT_SHARE = 0.8;
/**
 * ... and the error rate never climbs by more than 50 points from one level to the next: shedding
 * the excess load shows as errors growing with the excess; a collapse turns most requests into
 * errors at once.
 */
export const MAX_ERROR_JUMP = 0.5;

/** Held levels (from == to > 0) whose step ran to its end, in run order. */
export function stressLevels(facts: ScenarioFacts, steps: readonly StepReport[], budget: Budget): StressLevel[] {
  return placeStages(facts.stages, facts.startedAtMs)
    .filter(isHold)
    .flatMap((stage) => {
      const step = stepOfStage(steps, stage.index);
      if (step === undefined || !step.complete) return [];
      return [
        {
          level: stage.toLevel,
          itemsPerSec: step.throughput.itemsPerSec,
          p95Ms: step.latencyMs.e2e?.p95 ?? null,
          p99Ms: step.latencyMs.e2e?.p99 ?? null,
          errorRate: step.errors.rate,
          withinBudget: passesAll(checkBudget(step, budget)),
        },
      ];
    });
}

/** The breaking point: the first held level, in run order, that broke the budget; -1 when none did. */
export function breakingPoint(levels: readonly { readonly withinBudget: boolean }[]): number {
  return levels.findIndex((level) => !level.withinBudget);
}

export function breakingReason(level: StressLevel, budget: Budget): string {
  if (level.p95Ms === null) return 'nothing completed';
  const reasons = [
    level.p95Ms > budget.p95Ms ? `p95 ${formatMs(level.p95Ms)} > ${formatMs(budget.p95Ms)}` : null,
    level.p99Ms !== null && level.p99Ms > budget.p99Ms ? `p99 ${formatMs(level.p99Ms)} > ${formatMs(budget.p99Ms)}` : null,
    level.errorRate > budget.maxErrorRate ? `error rate ${formatPct(level.errorRate)} > ${formatPct(budget.maxErrorRate)}` : null,
  ];
  return reasons.filter((reason): reason is string => reason !== null).join(', ');
}

/** Judged from the breaking level on, each against the level before it; null when nothing broke. */
export function gracefulDegradation(levels: readonly StressLevel[], breakingIndex: number): boolean | null {
  if (breakingIndex < 0) return null;
  const peak = Math.max(...levels.map((level) => level.itemsPerSec));
  for (let i = breakingIndex; i < levels.length; i++) {
    const level = levels[i] as StressLevel;
    const previous = levels[i - 1];
    if (level.itemsPerSec < GRACEFUL_THROUGHPUT_SHARE * peak) return false;
    if (previous !== undefined && level.errorRate - previous.errorRate > MAX_ERROR_JUMP) return false;
  }
  return true;
}

export function judgeStress(facts: ScenarioFacts, steps: readonly StepReport[], budget: Budget): StressVerdict {
  const levels = stressLevels(facts, steps, budget);
  const breakingIndex = breakingPoint(levels);
  const breaking = levels[breakingIndex];
  const sustainable = (breaking === undefined ? levels : levels.slice(0, breakingIndex)).filter((level) => level.withinBudget);
  const maxSustainable = sustainable.reduce<StressLevel | null>(
    (best, level) => (best === null || level.level > best.level ? level : best),
    null,
  );
  const graceful = gracefulDegradation(levels, breakingIndex);
  const passed = levels.length > 0 && (breaking === undefined || (maxSustainable !== null && graceful === true));
  const verdict = {
    levels,
    breakingLevel: breaking?.level ?? null,
    breakingReason: breaking === undefined ? null : breakingReason(breaking, budget),
    maxSustainableLevel: maxSustainable?.level ?? null,
    graceful,
  };
  return { kind: 'stress', passed, summary: stressSummary(levels, breaking, maxSustainable, graceful, budget), ...verdict };
}

function describe(level: StressLevel): string {
  return `${level.level} (${formatRate(level.itemsPerSec)} items/s, p95 ${level.p95Ms === null ? '-' : formatMs(level.p95Ms)})`;
}

function stressSummary(
  levels: readonly StressLevel[],
  breaking: StressLevel | undefined,
  maxSustainable: StressLevel | null,
  graceful: boolean | null,
  budget: Budget,
): string {
  if (levels.length === 0) return 'Stress: no held load level ran to its end, so there is nothing to judge.';
  if (breaking === undefined) {
    return `Stress: all ${levels.length} levels met the budget, up to ${describe(levels.at(-1) as StressLevel)}; the breaking point is above the highest level run.`;
  }
  const broke = `broke at level ${breaking.level} (${breakingReason(breaking, budget)})`;
  const sustained = maxSustainable === null ? 'no level below it met the budget' : `max sustainable ${describe(maxSustainable)}`;
  const degradation = graceful
    ? 'degradation was graceful'
    : 'it collapsed past the break (throughput under 80 % of the peak or errors jumping by more than 50 points)';
  return `Stress: ${broke}; ${sustained}; ${degradation}.`;
}
