import { describe, expect, it } from 'vitest';
import { judgeSteady, MIN_WINDOW_ITEMS } from '../../src/analysis/scenario-steady.js';
import { budget, scenarioFacts, scenarioStep, timeline, type StageRow, type WindowValues } from './scenario-fixtures.js';

// 0-3 s ramp, 3-13 s hold at 100, 13-15 s ramp down.
const ROWS: StageRow[] = [
  ['ramp-up', 3000, 100],
  ['hold', 10_000, 100],
  ['ramp-down', 2000, 0],
];

function windows(hold: (i: number) => WindowValues): WindowValues[] {
  return [
    ...Array.from({ length: 3 }, () => ({ p95Ms: 9000 })),
    ...Array.from({ length: 10 }, (_, i) => hold(i)),
    ...Array.from({ length: 2 }, () => ({ p95Ms: 9000 })),
  ];
}

// The ramps are slow and failing: a verdict that included them would fail.
const steps = [
  scenarioStep(ROWS, 0, { count: 100, e2eMs: 9000, failures: 50, spanMs: 10_000 }),
  scenarioStep(ROWS, 1, { count: 1000, e2eMs: 1000, spanMs: 10_000 }),
  scenarioStep(ROWS, 2, { count: 100, e2eMs: 9000, failures: 50, spanMs: 10_000 }),
];

describe('judgeSteady', () => {
  it('an error storm with few successes is judged, and breaches', () => {
    const storm = { p95Ms: 1000, completed: 5, errors: 200 };
    const verdict = judgeSteady(
      scenarioFacts('steady', ROWS, timeline(windows((i) => (i === 6 ? storm : { p95Ms: 1000 })))),
      steps,
      budget,
    );
    expect(verdict.windowsJudged).toBe(10);
    expect(verdict.windowsWithinBudget).toBe(9);
    expect(verdict.heldWholeDuration).toBe(false);
    expect(verdict.firstBreachAtMs).toBe(9000);
    expect(verdict.passed).toBe(false);
  });

  it('percentiles over the hold only; held in every judged window (a thin window is not judged)', () => {
    const thin = { p95Ms: 9000, completed: MIN_WINDOW_ITEMS - 1 };
    const verdict = judgeSteady(scenarioFacts('steady', ROWS, timeline(windows((i) => (i === 4 ? thin : { p95Ms: 1000 })))), steps, budget);
    expect(verdict.p95Ms).toBeCloseTo(1000, 0);
    expect(verdict.p99Ms).toBeCloseTo(1000, 0);
    expect(verdict.errorRate).toBe(0);
    expect(verdict.windowsJudged).toBe(9);
    expect(verdict.windowsWithinBudget).toBe(9);
    expect(verdict.heldWholeDuration).toBe(true);
    expect(verdict.firstBreachAtMs).toBeNull();
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toBe(
      'Steady: p95 1 s, p99 1 s, errors 0 % over the hold (budget p95 3 s, p99 5 s, errors 1 %); held in all 9 windows.',
    );
  });

  it('a window over the p95 budget, or over the error rate, breaks the hold', () => {
    const slow = judgeSteady(scenarioFacts('steady', ROWS, timeline(windows((i) => ({ p95Ms: i === 5 ? 4000 : 1000 })))), steps, budget);
    expect(slow.heldWholeDuration).toBe(false);
    expect(slow.firstBreachAtMs).toBe(8000);
    expect(slow.windowsWithinBudget).toBe(9);
    expect(slow.passed).toBe(false);
    expect(slow.summary).toContain('9 of 10 windows within budget, first breach at 8 s');
    const failing = judgeSteady(
      scenarioFacts('steady', ROWS, timeline(windows((i) => ({ p95Ms: 1000, errors: i === 2 ? 5 : 0 })))),
      steps,
      budget,
    );
    expect(failing.firstBreachAtMs).toBe(5000);
  });

  it('edge cases: empty timeline and no steps, windows with nothing completed', () => {
    const empty = judgeSteady(scenarioFacts('steady', ROWS, []), [], budget);
    expect(empty.p95Ms).toBeNull();
    expect(empty.windowsJudged).toBe(0);
    expect(empty.passed).toBe(false);
    expect(empty.summary).toBe('Steady: nothing completed during the hold.');
    const idle = judgeSteady(scenarioFacts('steady', ROWS, timeline(windows(() => ({ p95Ms: null, completed: 0 })))), steps, budget);
    expect(idle.windowsJudged).toBe(0);
    expect(idle.heldWholeDuration).toBe(false);
    expect(idle.summary).toContain('no window had the 20 items needed to judge it');
  });

  it('a profile without a hold has nothing to judge', () => {
    const rows: StageRow[] = [['ramp', 2000, 100]];
    const verdict = judgeSteady(scenarioFacts('steady', rows, timeline([{ p95Ms: 5 }, { p95Ms: 5 }])), [], budget);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('Steady: the scenario has no hold stage to judge.');
  });
});
