/**
 * steady: percentiles over the hold at the scenario's level, and whether they held in every
 * window of it, not only on average.
 */
import { formatMs, formatPct } from '../format.js';
import type { ScenarioFacts, TimelineWindow } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import type { Budget } from '../core/workload.js';
import { mergeSteps, offsetMs, stepOfStage, topHolds, windowErrorRate, windowsOfStages } from './scenario-windows.js';
import { placeStages } from '../load/placed-stages.js';
import type { SteadyVerdict } from '../core/report/scenario-verdict.js';

/**
 * A window's p95 is judged only with at least 20 items in it: below 20 the 95th percentile is the
 * window's slowest item (rank ceil(0.95 n) = n), so one slow item would read as a breached p95.
 */
export const MIN_WINDOW_ITEMS = 20;

export function windowWithinBudget(window: TimelineWindow, budget: Budget): boolean {
  return window.p95Ms !== null && window.p95Ms <= budget.p95Ms && windowErrorRate(window) <= budget.maxErrorRate;
}

export function judgeSteady(facts: ScenarioFacts, steps: readonly StepReport[], budget: Budget): SteadyVerdict {
  const holds = topHolds(placeStages(facts.stages, facts.startedAtMs));
  const holdSteps = holds.map((hold) => stepOfStage(steps, hold.index)).filter((step): step is StepReport => step !== undefined);
  const merged = mergeSteps(holdSteps);
  // Errors count toward a window's items: an error storm with few successes is judged (and breaches).
  const judged = windowsOfStages(facts.timeline, holds).filter((window) => window.completed + window.errors >= MIN_WINDOW_ITEMS);
  const breaches = judged.filter((window) => !windowWithinBudget(window, budget));
  const firstBreach = breaches[0];
  const heldWholeDuration = judged.length > 0 && breaches.length === 0;
  const overallWithin =
    merged.p95Ms !== null &&
    merged.p95Ms <= budget.p95Ms &&
    merged.p99Ms !== null &&
    merged.p99Ms <= budget.p99Ms &&
    merged.errorRate <= budget.maxErrorRate;
  const verdict = {
    p50Ms: merged.p50Ms,
    p95Ms: merged.p95Ms,
    p99Ms: merged.p99Ms,
    errorRate: merged.errorRate,
    windowsJudged: judged.length,
    windowsWithinBudget: judged.length - breaches.length,
    heldWholeDuration,
    firstBreachAtMs: firstBreach === undefined ? null : offsetMs(facts, firstBreach.startMs),
  };
  return { kind: 'steady', passed: overallWithin && heldWholeDuration, summary: steadySummary(verdict, budget, holds.length), ...verdict };
}

function steadySummary(v: Omit<SteadyVerdict, 'kind' | 'passed' | 'summary'>, budget: Budget, holds: number): string {
  if (holds === 0) return 'Steady: the scenario has no hold stage to judge.';
  if (v.p95Ms === null || v.p99Ms === null) return 'Steady: nothing completed during the hold.';
  const overall = `p95 ${formatMs(v.p95Ms)}, p99 ${formatMs(v.p99Ms)}, errors ${formatPct(v.errorRate)} over the hold`;
  const limits = `(budget p95 ${formatMs(budget.p95Ms)}, p99 ${formatMs(budget.p99Ms)}, errors ${formatPct(budget.maxErrorRate)})`;
  if (v.windowsJudged === 0) return `Steady: ${overall} ${limits}; no window had the ${MIN_WINDOW_ITEMS} items needed to judge it.`;
  const windows = v.heldWholeDuration
    ? `held in all ${v.windowsJudged} windows`
    : `${v.windowsWithinBudget} of ${v.windowsJudged} windows within budget, first breach at ${formatMs(v.firstBreachAtMs ?? 0)}`;
  return `Steady: ${overall} ${limits}; ${windows}.`;
}
