import { describe, expect, it } from 'vitest';
import { createArrivals } from '../../../src/load/arrivals.js';
import type { Step } from '../../../src/core/workload.js';
import { dealtSchedule, resolveWorkerCount, splitCount, workerStep, workersForStep } from '../../../src/runner/workers/split-load.js';

const closedStep: Step = {
  index: 3,
  stage: 'classify',
  mode: 'dynamic',
  batchSize: 1,
  concurrency: 7,
  arrivals: null,
  maxQueueDelayMs: 0,
  maxNewTokens: null,
  warmup: { requests: 11 },
  measure: { requests: 101, maxDurationMs: 30_000 },
};
const openStep: Step = {
  ...closedStep,
  concurrency: null,
  arrivals: { process: 'poisson', ratePerSec: 300, maxInFlight: 10 },
};

function planned(step: Step, count: number): number[] {
  const schedule = createArrivals(step.arrivals!.process, step.arrivals!.ratePerSec, 42 + step.index);
  return Array.from({ length: count }, () => schedule.next());
}

describe("dealtSchedule: the workers' schedules", () => {
  for (const workers of [1, 2, 3, 5]) {
    it(`${workers} worker(s): the union is exactly the planned schedule, each arrival once`, () => {
      const total = 500;
      const union: number[] = [];
      for (let index = 0; index < workers; index++) {
        const schedule = createArrivals('poisson', 300, 42 + openStep.index);
        const dealt = dealtSchedule(schedule, { index, of: workers });
        const share = splitCount(total, { index, of: workers });
        for (let i = 0; i < share; i++) union.push(dealt.next());
      }
      expect(union.sort((a, b) => a - b)).toEqual(planned(openStep, total));
    });
  }

  it('a late start is taken off every send time: the absolute times stay as planned', () => {
    const dealt = dealtSchedule(createArrivals('constant', 100, 0), { index: 1, of: 2 }, 3);
    expect([dealt.next(), dealt.next()]).toEqual([10 - 3, 30 - 3]);
  });
});

describe("workerStep: each worker's share", () => {
  it("closed loop: in-flight and counts split so the parts sum to the step's", () => {
    for (const workers of [2, 3, 4, 7]) {
      const shares = Array.from({ length: workers }, (_, index) => workerStep(closedStep, 7, 1, { index, of: workers }));
      expect(shares.reduce((sum, s) => sum + s.concurrency!, 0)).toBe(7);
      expect(shares.reduce((sum, s) => sum + s.warmup.requests!, 0)).toBe(11);
      expect(shares.reduce((sum, s) => sum + s.measure.requests!, 0)).toBe(101);
      expect(shares.every((s) => s.measure.maxDurationMs === 30_000)).toBe(true);
    }
  });

  it('open loop: each worker warms up on exactly its arrivals among the planned warm-up, then measures exactly its planned measured ones', () => {
    for (const workers of [2, 3, 4]) {
      const warmup = new Set<number>();
      const measured = new Set<number>();
      for (let index = 0; index < workers; index++) {
        const share = workerStep(openStep, 0, 1, { index, of: workers });
        // The worker's j-th arrival is the planned arrival index + j * workers.
        for (let j = 0; j < share.warmup.requests!; j++) warmup.add(index + j * workers);
        for (let j = share.warmup.requests!; j < share.warmup.requests! + share.measure.requests!; j++) measured.add(index + j * workers);
      }
      expect([...warmup].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
      expect([...measured].sort((a, b) => a - b)).toEqual(Array.from({ length: 101 }, (_, i) => 11 + i));
    }
  });

  it('requests of several texts: counts split in whole requests, so no worker sends an extra one', () => {
    const batched = { ...closedStep, batchSize: 4, warmup: { requests: 10 }, measure: { requests: 30, maxDurationMs: 1000 } };
    const shares = [0, 1].map((index) => workerStep(batched, 7, 4, { index, of: 2 }));
    // 10 items = 3 requests, 30 items = 8 requests: in items, 4 per request.
    expect(shares.map((s) => [s.warmup.requests, s.measure.requests])).toEqual([
      [8, 16],
      [4, 16],
    ]);
  });

  it('open loop: the in-flight cap is split too; none means none', () => {
    const caps = [0, 1, 2].map((index) => workerStep(openStep, 0, 1, { index, of: 3 }).arrivals!.maxInFlight);
    expect(caps).toEqual([4, 3, 3]);
    const uncapped = { ...openStep, arrivals: { ...openStep.arrivals!, maxInFlight: null } };
    expect(workerStep(uncapped, 0, 1, { index: 0, of: 3 }).arrivals!.maxInFlight).toBeNull();
  });
});

describe('how many workers', () => {
  it('auto is cores - 1, at least 1', () => {
    expect(resolveWorkerCount('auto', 8)).toBe(7);
    expect(resolveWorkerCount('auto', 1)).toBe(1);
    expect(resolveWorkerCount(3, 8)).toBe(3);
  });

  it('a step gets no more workers than it keeps in flight', () => {
    expect(workersForStep(4, { ...closedStep, concurrency: 2 }, 2)).toBe(2);
    expect(workersForStep(4, closedStep, 7)).toBe(4);
    expect(workersForStep(4, { ...closedStep, concurrency: 1 }, 1)).toBe(1);
    expect(workersForStep(8, openStep, 0)).toBe(8);
    expect(workersForStep(8, { ...openStep, arrivals: { process: 'constant', ratePerSec: 2.5, maxInFlight: null } }, 0)).toBe(3);
  });
});
