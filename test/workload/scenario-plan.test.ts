import { describe, expect, it } from 'vitest';
import { parseWorkload } from '../../src/workload/load.js';
import { peakInFlight, planSteps } from '../../src/workload/plan.js';

const STAGES = `
  stages:
    - { name: up, duration: 10s, target: 40 }
    - { name: hold, duration: 20s, target: 40 }
    - { name: down, duration: 5s, target: 0 }
`;

describe('planSteps for a scenario', () => {
  it('plans one dynamic step per load stage with its profile, peak level and stage-long measurement', () => {
    const workload = parseWorkload(
      `warmup: { requests: 7 }\nscenario:\n  kind: steady\n  stage: generate\n  batchSize: 4${STAGES}`,
      's.yaml',
      '/',
    );
    const steps = planSteps(workload);
    expect(steps.map((s) => [s.index, s.stage, s.mode, s.batchSize, s.concurrency, s.arrivals])).toEqual([
      [0, 'generate', 'dynamic', 4, 40, null],
      [1, 'generate', 'dynamic', 4, 40, null],
      [2, 'generate', 'dynamic', 4, 40, null],
    ]);
    expect(steps.map((s) => s.profile)).toEqual([
      { name: 'up', stageIndex: 0, fromLevel: 0, toLevel: 40, durationMs: 10_000, offsetMs: 0 },
      { name: 'hold', stageIndex: 1, fromLevel: 40, toLevel: 40, durationMs: 20_000, offsetMs: 10_000 },
      { name: 'down', stageIndex: 2, fromLevel: 40, toLevel: 0, durationMs: 5000, offsetMs: 30_000 },
    ]);
    expect(steps[1]?.measure).toEqual({ durationMs: 20_000, maxDurationMs: 50_000 });
    expect(steps[0]?.warmup).toEqual({ requests: 7 });
    expect(steps[0]?.maxNewTokens).toBe(16);
    expect(peakInFlight(steps)).toBe(40);
  });

  it('open loop: arrivals at the stage peak rate, no concurrency; peakInFlight from maxInFlight', () => {
    const workload = parseWorkload(
      `load: { arrivals: constant, maxInFlight: 16 }\nscenario:\n  kind: spike\n  stage: classify\n  loadScale: 0.5${STAGES}`,
      's.yaml',
      '/',
    );
    const steps = planSteps(workload);
    expect(steps.map((s) => [s.concurrency, s.arrivals])).toEqual([
      [null, { process: 'constant', ratePerSec: 20, maxInFlight: 16 }],
      [null, { process: 'constant', ratePerSec: 20, maxInFlight: 16 }],
      [null, { process: 'constant', ratePerSec: 20, maxInFlight: 16 }],
    ]);
    expect(peakInFlight(steps)).toBe(16);
  });

  it('sizes peakInFlight from the highest stage, and an uncapped open loop from its top rate', () => {
    const ramp =
      '\n  stages:\n    - { name: a, duration: 1s, target: 3 }\n    - { name: b, duration: 1s, target: 90 }\n    - { name: c, duration: 1s, target: 10 }\n';
    expect(peakInFlight(planSteps(parseWorkload(`scenario:\n  kind: stress\n  stage: classify${ramp}`, 's.yaml', '/')))).toBe(90);
    expect(
      peakInFlight(
        planSteps(parseWorkload(`load: { arrivals: poisson }\nscenario:\n  kind: stress\n  stage: classify${ramp}`, 's.yaml', '/')),
      ),
    ).toBe(90);
  });
});
