import { describe, expect, it } from 'vitest';
import { checkBudget, failedChecks, withinBudget } from '../../src/analysis/budget.js';

const budget = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 };
const step = (p95: number, p99: number, rate = 0) => ({ latencyMs: { e2e: { p95, p99 } }, errors: { rate } });

describe('checkBudget', () => {
  it('passes at exactly the limits', () => {
    expect(checkBudget(step(3000, 5000, 0.01), budget)).toEqual({ p95: true, p99: true, errorRate: true });
    expect(withinBudget(step(3000, 5000, 0.01), budget)).toBe(true);
  });

  it('fails each check on its own', () => {
    expect(checkBudget(step(3000.1, 10), budget)).toEqual({ p95: false, p99: true, errorRate: true });
    expect(checkBudget(step(10, 5001), budget)).toEqual({ p95: true, p99: false, errorRate: true });
    expect(checkBudget(step(10, 10, 0.02), budget)).toEqual({ p95: true, p99: true, errorRate: false });
    expect(failedChecks(checkBudget(step(4000, 6000, 0.5), budget))).toEqual(['p95', 'p99', 'errorRate']);
  });

  it('a step with no samples fails', () => {
    const empty = { latencyMs: {}, errors: { rate: 0 } };
    expect(checkBudget(empty, budget)).toEqual({ p95: false, p99: false, errorRate: true });
    expect(withinBudget(empty, budget)).toBe(false);
    expect(withinBudget({ latencyMs: {}, errors: { rate: 1 } }, budget)).toBe(false);
  });
});
