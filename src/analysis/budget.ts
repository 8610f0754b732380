/** The latency/error budget applied to one step (DESIGN.md "best batch size under budget"). */
import type { BudgetCheck } from '../core/report/verdicts.js';
import type { Budget } from '../core/workload.js';

/** What a budget looks at; a StepMeasurement or StepReport fits. */
export interface BudgetSubject {
  readonly latencyMs: { readonly e2e?: { readonly p95: number; readonly p99: number } };
  readonly errors: { readonly rate: number };
}

/** p95/p99 e2e within their limits and the error rate at most the maximum; no samples fails both latency checks. */
export function checkBudget(step: BudgetSubject, budget: Budget): BudgetCheck {
  const e2e = step.latencyMs.e2e;
  return {
    p95: e2e !== undefined && e2e.p95 <= budget.p95Ms,
    p99: e2e !== undefined && e2e.p99 <= budget.p99Ms,
    errorRate: step.errors.rate <= budget.maxErrorRate,
  };
}

export function passesAll(check: BudgetCheck): boolean {
  return check.p95 && check.p99 && check.errorRate;
}

export function withinBudget(step: BudgetSubject, budget: Budget): boolean {
  return passesAll(checkBudget(step, budget));
}

/** Names of the failed checks, in a fixed order: ["p95", "errorRate"]. */
export function failedChecks(check: BudgetCheck): (keyof BudgetCheck)[] {
  return (['p95', 'p99', 'errorRate'] as const).filter((name) => !check[name]);
}
