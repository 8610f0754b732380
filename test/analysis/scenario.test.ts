import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY_TARGET_MS, judgeScenario } from '../../src/analysis/scenario.js';
import { SCENARIO_KINDS } from '../../src/core/scenario.js';
import { budget, scenarioFacts, scenarioStep, timeline, type StageRow } from './scenario-fixtures.js';

const ROWS: StageRow[] = [
  ['ramp-up', 2000, 100],
  ['hold', 4000, 100],
  ['spike', 1000, 300],
  ['fall', 1000, 100],
  ['after', 4000, 100],
];
const windows = timeline(Array.from({ length: 12 }, (_, i) => ({ p95Ms: i >= 6 && i < 8 ? 900 : 100 })));
const steps = ROWS.map((_, i) => scenarioStep(ROWS, i, { count: 400, e2eMs: 100, spanMs: 4000 }));

describe('judgeScenario', () => {
  it('gives each kind its own verdict', () => {
    for (const kind of SCENARIO_KINDS) {
      const verdict = judgeScenario(scenarioFacts(kind, ROWS, windows), steps, budget, null);
      expect(verdict.kind).toBe(kind);
      expect(verdict.summary.startsWith(kind[0]?.toUpperCase() + kind.slice(1))).toBe(true);
    }
  });

  it("spike: the guide's 30 s target by default, the workload's when passed", () => {
    const facts = scenarioFacts('spike', ROWS, windows);
    const byDefault = judgeScenario(facts, steps, budget, null);
    expect(byDefault.kind === 'spike' && byDefault.recoveryTargetMs).toBe(DEFAULT_RECOVERY_TARGET_MS);
    expect(byDefault.kind === 'spike' && byDefault.recoveryMs).toBe(0);
    const strict = judgeScenario(facts, steps, budget, null, 5000);
    expect(strict.kind === 'spike' && strict.recoveryTargetMs).toBe(5000);
  });
});
