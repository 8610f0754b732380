import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkload } from '../../src/workload/load.js';
import { planSteps } from '../../src/workload/plan.js';
import { applyScenarioOverrides, scenarioPresetPath } from '../../src/workload/scenario-overrides.js';
import { type Workload } from '../../src/core/workload.js';
import { SCENARIO_KINDS, type ScenarioKind } from '../../src/core/scenario.js';

const WORKLOADS = resolve(import.meta.dirname, '..', '..', 'workloads');
const MINUTE_MS = 60_000;
const totalMs = (workload: Workload) => (workload.scenario?.stages ?? []).reduce((sum, s) => sum + s.durationMs, 0);

// Minutes as written, and the highest level reached.
const EXPECTED = {
  steady: { minutes: 31, peak: 100 },
  spike: { minutes: 11.5, peak: 500 },
  soak: { minutes: 122, peak: 200 },
  stress: { minutes: 15, peak: 800 },
} as const satisfies Record<ScenarioKind, { minutes: number; peak: number }>;

describe.each(SCENARIO_KINDS)('the %s preset', (kind) => {
  it('is the file --scenario loads, runs on the built-in models in process, and plans one step per stage', async () => {
    expect(scenarioPresetPath(kind)).toBe(join(WORKLOADS, `${kind}.yaml`));
    const workload = await loadWorkload(scenarioPresetPath(kind));
    expect(workload.target).toEqual({ kind: 'inprocess' });
    expect(workload.models.classifier).toEqual({ builtin: 'intent-classifier' });
    expect(workload.scenario?.kind).toBe(kind);
    expect(workload.scenario?.timeScale).toBe(1);
    expect(totalMs(workload)).toBe(EXPECTED[kind].minutes * MINUTE_MS);
    const steps = planSteps(workload);
    expect(steps).toHaveLength(workload.scenario?.stages.length ?? -1);
    expect(Math.max(...steps.map((s) => s.concurrency ?? 0))).toBe(EXPECTED[kind].peak);
    expect(steps.at(-1)?.profile?.offsetMs).toBe(totalMs(workload) - (steps.at(-1)?.profile?.durationMs ?? 0));
  });

  it('scales: pr-smoke runs 5 minutes, daily at most 30, --time-scale 0.01 in seconds', async () => {
    const workload = await loadWorkload(scenarioPresetPath(kind));
    expect(totalMs(applyScenarioOverrides(workload, { schedule: 'pr-smoke' }))).toBeCloseTo(5 * MINUTE_MS, 3);
    expect(totalMs(applyScenarioOverrides(workload, { schedule: 'daily' }))).toBeCloseTo(
      Math.min(30, EXPECTED[kind].minutes) * MINUTE_MS,
      3,
    );
    const smoke = applyScenarioOverrides(workload, { timeScale: 0.01, loadScale: 0.1 });
    expect(totalMs(smoke)).toBeLessThan(75_000);
    expect(smoke.scenario?.windowMs).toBe(250);
    expect(planSteps(smoke).every((step) => step.concurrency !== null && step.concurrency >= 1)).toBe(true);
  });
});

describe('preset shapes the verdicts need', () => {
  it('spike has a baseline hold before the rise and a recovery hold after the fall', async () => {
    const stages = (await loadWorkload(scenarioPresetPath('spike'))).scenario?.stages ?? [];
    expect(stages.map((s) => [s.name, s.target])).toEqual([
      ['warm', 50],
      ['baseline', 50],
      ['spike-up', 500],
      ['spike-hold', 500],
      ['spike-down', 50],
      ['recovery', 50],
    ]);
    expect(stages[2]?.durationMs).toBe(2 * MINUTE_MS);
  });

  it('soak: pr-smoke of the 2-hour soak is 5 minutes in total', async () => {
    const smoke = applyScenarioOverrides(await loadWorkload(scenarioPresetPath('soak')), { schedule: 'pr-smoke' });
    expect(totalMs(smoke)).toBeCloseTo(5 * MINUTE_MS, 3);
    expect(smoke.scenario?.stages.map((s) => s.target)).toEqual([200, 200]);
  });

  it('stress climbs through rising holds and stops one stage after the first break', async () => {
    const scenario = (await loadWorkload(scenarioPresetPath('stress'))).scenario;
    const holds = (scenario?.stages ?? []).filter((s) => s.name.startsWith('hold-')).map((s) => s.target);
    expect(holds).toEqual([25, 50, 100, 200, 400, 800]);
    expect(scenario?.stopAfterBreak).toBe(1);
  });
});
