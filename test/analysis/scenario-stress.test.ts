import { describe, expect, it } from 'vitest';
import { judgeStress } from '../../src/analysis/scenario-stress.js';
import { budget, scenarioFacts, scenarioStep, type StageRow, type StepValues } from './scenario-fixtures.js';

// Ramps between holds at 50, 100, 200 and 400 in flight.
const ROWS: StageRow[] = [
  ['ramp', 2000, 50],
  ['hold-50', 10_000, 50],
  ['ramp', 2000, 100],
  ['hold-100', 10_000, 100],
  ['ramp', 2000, 200],
  ['hold-200', 10_000, 200],
  ['ramp', 2000, 400],
  ['hold-400', 10_000, 400],
];
const HOLDS = [1, 3, 5, 7];

/** Items over 10 s each: 200/s at 50, 400/s at 100, 400/s at 200 with p95 4 s (breaks), then `at400`. */
function run(at400: StepValues, at200: StepValues = { count: 4000, e2eMs: 4000, spanMs: 10_000 }) {
  const values: StepValues[] = [{ count: 2000, e2eMs: 100, spanMs: 10_000 }, { count: 4000, e2eMs: 200, spanMs: 10_000 }, at200, at400];
  const steps = [
    scenarioStep(ROWS, 0, { count: 10, e2eMs: 50, spanMs: 2000 }),
    ...HOLDS.map((stage, i) => scenarioStep(ROWS, stage, values[i] as StepValues)),
  ];
  return judgeStress(scenarioFacts('stress', ROWS, []), steps, budget);
}

describe('judgeStress', () => {
  it('breaks at level 200 on p95; 100 is the max sustainable; graceful when 400 keeps throughput and errors rise a little', () => {
    const verdict = run({ count: 3800, failures: 200, e2eMs: 5000, spanMs: 10_000 });
    expect(verdict.levels.map((l) => l.level)).toEqual([50, 100, 200, 400]);
    expect(verdict.levels.map((l) => l.itemsPerSec)).toEqual([200, 400, 400, 360]);
    expect(verdict.levels.map((l) => l.withinBudget)).toEqual([true, true, false, false]);
    expect(verdict.breakingLevel).toBe(200);
    expect(verdict.breakingReason).toBe('p95 4 s > 3 s');
    expect(verdict.maxSustainableLevel).toBe(100);
    expect(verdict.graceful).toBe(true);
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toBe(
      'Stress: broke at level 200 (p95 4 s > 3 s); max sustainable 100 (400 items/s, p95 200 ms); degradation was graceful.',
    );
  });

  it('collapses when throughput past the break falls under 80 % of the peak', () => {
    const verdict = run({ count: 1000, e2eMs: 9000, spanMs: 10_000 });
    expect(verdict.graceful).toBe(false);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('it collapsed past the break');
  });

  it('collapses when the error rate jumps by more than 50 points in one level, even with throughput kept', () => {
    const verdict = run({ count: 10_000, failures: 6000, e2eMs: 2000, spanMs: 10_000 });
    expect(verdict.levels[3]?.itemsPerSec).toBe(400);
    expect(verdict.levels[3]?.errorRate).toBeCloseTo(0.6, 12);
    expect(verdict.graceful).toBe(false);
  });

  it('names every failed check with its numbers', () => {
    const verdict = run({ count: 4000, e2eMs: 100, spanMs: 10_000 }, { count: 4100, failures: 100, e2eMs: 6000, spanMs: 10_000 });
    expect(verdict.breakingLevel).toBe(200);
    expect(verdict.breakingReason).toBe('p95 6 s > 3 s, p99 6 s > 5 s, error rate 2.4 % > 1 %');
  });

  it('nothing broke: passed, no breaking level, max sustainable is the highest level, graceful not judged', () => {
    const ok: StepValues = { count: 4000, e2eMs: 100, spanMs: 10_000 };
    const verdict = run(ok, ok);
    expect(verdict.breakingLevel).toBeNull();
    expect(verdict.maxSustainableLevel).toBe(400);
    expect(verdict.graceful).toBeNull();
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toBe(
      'Stress: all 4 levels met the budget, up to 400 (400 items/s, p95 100 ms); the breaking point is above the highest level run.',
    );
  });

  it('the first level failing leaves nothing sustainable', () => {
    const rows: StageRow[] = [
      ['ramp', 2000, 50],
      ['hold', 10_000, 50],
    ];
    const verdict = judgeStress(
      scenarioFacts('stress', rows, []),
      [scenarioStep(rows, 1, { count: 100, e2eMs: 4000, spanMs: 10_000 })],
      budget,
    );
    expect(verdict.levels).toHaveLength(1);
    expect(verdict.breakingLevel).toBe(50);
    expect(verdict.maxSustainableLevel).toBeNull();
    expect(verdict.graceful).toBe(true);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain('no level below it met the budget');
  });

  it('an incomplete level (interrupted) is left out; no levels at all fails', () => {
    const partial = run({ count: 10, e2eMs: 100, spanMs: 1000, complete: false });
    expect(partial.levels.map((l) => l.level)).toEqual([50, 100, 200]);
    expect(partial.graceful).toBe(true);
    const none = judgeStress(scenarioFacts('stress', ROWS, []), [], budget);
    expect(none.levels).toEqual([]);
    expect(none.passed).toBe(false);
    expect(none.summary).toBe('Stress: no held load level ran to its end, so there is nothing to judge.');
  });
});
