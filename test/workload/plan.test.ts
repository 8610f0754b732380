import { describe, expect, it } from 'vitest';
import { parseWorkload } from '../../src/workload/load.js';
import { concurrencyLevels, peakInFlight, planSteps } from '../../src/workload/plan.js';

const YAML = `
engine: { instances: 2 }
warmup: { requests: 5 }
measure: { requests: 50, duration: 3s }
stages:
  - { stage: pipeline, batchSizes: [8, 1], maxNewTokens: 4, maxQueueDelay: 5ms }
  - { stage: classify, mode: static, batchSizes: [4, 2] }
  - { stage: generate, batchSizes: [3], concurrency: 7 }
`;

describe('planSteps', () => {
  const steps = planSteps(parseWorkload(YAML, 'plan.yaml', '/'));

  it('expands stages in file order and batch sizes ascending, indexed 0..n-1', () => {
    expect(steps.map((s) => [s.index, s.stage, s.batchSize])).toEqual([
      [0, 'pipeline', 1],
      [1, 'pipeline', 8],
      [2, 'classify', 2],
      [3, 'classify', 4],
      [4, 'generate', 3],
    ]);
  });

  it('resolves concurrency: dynamic auto = 2 x b x instances, static auto = b x instances, explicit kept', () => {
    expect(steps.map((s) => s.concurrency)).toEqual([4, 32, 4, 8, 7]);
  });

  it('copies the stage settings and the phases into every step', () => {
    expect(steps[1]).toEqual({
      index: 1,
      stage: 'pipeline',
      mode: 'dynamic',
      batchSize: 8,
      concurrency: 32,
      arrivals: null,
      maxQueueDelayMs: 5,
      maxNewTokens: 4,
      warmup: { requests: 5 },
      measure: { requests: 50, durationMs: 3000, maxDurationMs: 30_000 },
    });
    expect(steps[2]).toMatchObject({ mode: 'static', maxQueueDelayMs: 2, maxNewTokens: 16 });
  });
});

describe('concurrencyLevels', () => {
  it('uses one instance and batch 1 as the smallest case', () => {
    expect(concurrencyLevels({ mode: 'dynamic', concurrency: 'auto' }, 1, 1)).toEqual([2]);
    expect(concurrencyLevels({ mode: 'static', concurrency: 'auto' }, 1, 1)).toEqual([1]);
    expect(concurrencyLevels({ mode: 'static', concurrency: [3] }, 64, 4)).toEqual([3]);
  });

  it('HTTP auto is one request in flight whatever the batch size', () => {
    expect(concurrencyLevels({ mode: 'dynamic', concurrency: 'auto' }, 32, 4, true)).toEqual([1]);
  });
});

describe('peakInFlight (connections for "auto")', () => {
  const plan = (yaml: string) => planSteps(parseWorkload(`target: { url: "http://127.0.0.1:1" }\n${yaml}`, 'p.yaml', '/'));

  it('closed loop: the largest level of any stage; one request when every stage is auto', () => {
    expect(peakInFlight(plan('stages: [{ stage: classify, concurrency: [1, 12] }, { stage: generate, concurrency: 4 }]'))).toBe(12);
    expect(peakInFlight(plan('stages: [{ stage: classify }]'))).toBe(1);
  });

  it('open loop: the cap, or one second of sends at the top rate, bounded to 1024', () => {
    expect(peakInFlight(plan('load: { rates: [10, 300], maxInFlight: 16 }\nstages: [{ stage: classify }]'))).toBe(16);
    expect(peakInFlight(plan('load: { rates: [2.5, 40.5] }\nstages: [{ stage: classify }]'))).toBe(41);
    expect(peakInFlight(plan('load: { rates: [5000] }\nstages: [{ stage: classify }]'))).toBe(1024);
  });

  it('an empty plan still opens one connection', () => {
    expect(peakInFlight([])).toBe(1);
  });
});
