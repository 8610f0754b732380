import { describe, expect, it } from 'vitest';
import { describeFinding, evaluateAlerts, evaluateRule, type AlertSubject } from '../../src/analysis/alerts.js';
import type { WindowStat } from '../../src/core/measurement.js';
import { parseAlertRule } from '../../src/workload/budgets-schema.js';
import { type AlertRule } from '../../src/core/alert-rule.js';

const T0 = 1_750_000_000_000;

function rule(text: string): AlertRule {
  const parsed = parseAlertRule(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

/** 1 s windows from T0, one per entry: [p95 ms or null, completed, errors]. */
function windows(values: readonly (readonly [number | null, number, number])[]): WindowStat[] {
  return values.map(([e2eP95Ms, completed, errors], i) => ({
    startMs: T0 + i * 1000,
    endMs: T0 + (i + 1) * 1000,
    completed,
    errors,
    e2eP95Ms,
  }));
}

function step(stage: AlertSubject['stage'], ws: readonly WindowStat[], index = 0): AlertSubject {
  return { index, stage, batchSize: 4, windows: ws };
}

describe('evaluateRule', () => {
  const slow = rule('p95(ml_pipeline_time) > 3500ms for 3s');

  it('fires when the condition holds over consecutive windows covering the duration', () => {
    const ws = windows([
      [100, 10, 0],
      [4000, 10, 0],
      [4200, 10, 0],
      [3900, 10, 0],
      [100, 10, 0],
    ]);
    const finding = evaluateRule(slow, step('pipeline', ws));
    expect(finding).toMatchObject({ kind: 'fired', firedAtMs: T0 + 4000, firedAfterMs: 4000, breachedMs: 3000, worstValue: 4200 });
    expect(describeFinding(finding)).toBe(
      'alert "p95(ml_pipeline_time) > 3500ms for 3s" on step 0 (pipeline batch 4): fired 4 s into the step (held 3 s in all, worst 4200 ms)',
    );
  });

  it('does not fire when breaches are shorter than the duration or interrupted', () => {
    const ws = windows([
      [4000, 10, 0],
      [4000, 10, 0],
      [100, 10, 0],
      [4000, 10, 0],
      [4000, 10, 0],
      [null, 0, 0],
      [4000, 10, 0],
    ]);
    expect(evaluateRule(slow, step('pipeline', ws)).kind).toBe('quiet');
  });

  it('treats a gap between windows as a break', () => {
    const ws = windows([
      [4000, 1, 0],
      [4000, 1, 0],
      [4000, 1, 0],
    ]).map((w, i) => (i === 2 ? { ...w, startMs: w.startMs + 500, endMs: w.endMs + 500 } : w));
    expect(evaluateRule(slow, step('pipeline', ws)).kind).toBe('quiet');
  });

  it('reports a step shorter than the duration as not evaluated, never a pass', () => {
    const finding = evaluateRule(
      rule('p95(ml_pipeline_time) > 3500ms for 10m'),
      step(
        'pipeline',
        windows([
          [9000, 1, 0],
          [9000, 1, 0],
        ]),
      ),
    );
    expect(finding).toMatchObject({ kind: 'not-evaluated', reason: 'step shorter than 10m' });
    expect(describeFinding(finding)).toContain('not evaluated (step shorter than 10m)');
  });

  it('reports empty windows as not evaluated', () => {
    expect(evaluateRule(slow, step('pipeline', []))).toMatchObject({ kind: 'not-evaluated', reason: 'no measurement windows recorded' });
  });

  it('computes the error rate per window and skips windows with no items', () => {
    const errors = rule('error_rate > 10% for 2s');
    // Exactly 10 % is not above 10 %.
    expect(
      evaluateRule(
        errors,
        step(
          'classify',
          windows([
            [1, 9, 1],
            [1, 9, 1],
            [1, 10, 0],
          ]),
        ),
      ).kind,
    ).toBe('quiet');
    const fired = evaluateRule(
      errors,
      step(
        'classify',
        windows([
          [1, 7, 3],
          [1, 5, 5],
          [null, 0, 0],
        ]),
      ),
    );
    expect(fired).toMatchObject({ kind: 'fired', worstValue: 0.5, firedAfterMs: 2000 });
    expect(
      evaluateRule(
        errors,
        step(
          'classify',
          windows([
            [1, 7, 3],
            [null, 0, 0],
            [1, 5, 5],
          ]),
        ),
      ).kind,
    ).toBe('quiet');
  });

  it('watches throughput falling below a floor, using each window’s own length', () => {
    const floor = rule('throughput < 5 for 2s');
    const ws = windows([
      [1, 10, 0],
      [1, 4, 0],
      [1, 3, 0],
    ]);
    expect(evaluateRule(floor, step('generate', ws))).toMatchObject({ kind: 'fired', worstValue: 3 });
    const shortLast = windows([
      [1, 4, 0],
      [1, 3, 0],
    ]).map((w, i) => (i === 1 ? { ...w, endMs: w.startMs + 500 } : w));
    // 3 items in 0.5 s is 6 items/s: not below the floor, and 1.5 s of windows is under 2 s anyway.
    expect(evaluateRule(floor, step('generate', shortLast)).kind).toBe('not-evaluated');
  });
});

describe('evaluateAlerts', () => {
  it('applies each rule to the stages its metric watches, in rule then step order', () => {
    const ws = windows([
      [4000, 10, 0],
      [4000, 10, 0],
      [4000, 10, 0],
    ]);
    const steps = [step('classify', ws, 0), step('generate', ws, 1), step('pipeline', ws, 2)];
    const findings = evaluateAlerts(
      [rule('p95(api_response_time) > 300ms for 2s'), rule('p95(ml_pipeline_time) > 3500ms for 2s'), rule('error_rate > 1% for 2s')],
      steps,
    );
    expect(findings.map((f) => [f.rule.metric, f.stepIndex, f.kind])).toEqual([
      ['api_response_time', 0, 'fired'],
      ['api_response_time', 1, 'fired'],
      ['ml_pipeline_time', 2, 'fired'],
      ['error_rate', 0, 'quiet'],
      ['error_rate', 1, 'quiet'],
      ['error_rate', 2, 'quiet'],
    ]);
  });

  it('returns nothing for no rules or no steps', () => {
    expect(evaluateAlerts([], [step('pipeline', [])])).toEqual([]);
    expect(evaluateAlerts([rule('error_rate > 1% for 1s')], [])).toEqual([]);
  });
});
