import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { RATE_RESOLUTION, searchListed, searchRange } from '../../src/runner/search.js';
import { parseWorkload } from '../../src/workload/load.js';
import { planSteps } from '../../src/workload/plan.js';
import { delayTarget, environment } from './fake-targets.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

/** A probe that passes up to `capacity` and records what it was asked. */
function capacityProbe(capacity: number) {
  const asked: number[] = [];
  return { asked, probe: async (value: number) => (asked.push(value), value <= capacity) };
}

describe('searchListed', () => {
  const sizes = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];

  it('doubles from the smallest value to the first failure, then bisects: capacity 16 in 7 of 12', async () => {
    const { asked, probe } = capacityProbe(16);
    const outcome = await searchListed(sizes, probe);
    expect(outcome.answer).toBe(16);
    expect(asked).toEqual([1, 2, 4, 8, 16, 32, 24]);
    expect(outcome.tried).toEqual(asked.map((value) => ({ value, withinBudget: value <= 16 })));
    expect(outcome.finished).toBe(true);
  });

  it.each([
    [0, null],
    [1, 1],
    [5, 4],
    [47, 32],
    [64, 64],
    [1000, 64],
  ])('capacity %d -> %s, never more probes than values', async (capacity, answer) => {
    const { asked, probe } = capacityProbe(capacity);
    const outcome = await searchListed(sizes, probe);
    expect(outcome.answer).toBe(answer);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBeLessThanOrEqual(sizes.length);
  });

  it('no values: no answer; a single value: one probe', async () => {
    expect((await searchListed([], async () => true)).answer).toBeNull();
    const { asked, probe } = capacityProbe(10);
    expect((await searchListed([8], probe)).answer).toBe(8);
    expect(asked).toEqual([8]);
  });

  it('a probe that answers null (interrupted) stops with what is known', async () => {
    const outcome = await searchListed(sizes, async (value) => (value >= 4 ? null : true));
    expect(outcome).toMatchObject({ answer: 2, finished: false });
    expect(outcome.tried.map((t) => t.value)).toEqual([1, 2]);
  });
});

describe('searchRange', () => {
  it('finds the highest passing rate to within 5 % below the capacity', async () => {
    const { asked, probe } = capacityProbe(37);
    const outcome = await searchRange(5, 100, probe);
    expect(outcome.answer).not.toBeNull();
    expect(outcome.answer!).toBeLessThanOrEqual(37);
    expect(outcome.answer! * RATE_RESOLUTION * RATE_RESOLUTION).toBeGreaterThan(37);
    expect(asked.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(asked.length).toBeLessThan(12);
  });

  it('the top of the range passing is the answer; the bottom failing is none', async () => {
    expect((await searchRange(10, 40, async () => true)).answer).toBe(40);
    expect((await searchRange(10, 40, async () => false)).answer).toBeNull();
    expect((await searchRange(10, 10, async () => true)).tried).toHaveLength(1);
    await expect(searchRange(0, 10, async () => true)).rejects.toThrow(RangeError);
  });
});

describe('--search through the runner', () => {
  it('against a target whose latency grows with batch size (within budget up to 16) finds 16 in fewer steps than the sweep', async () => {
    const workload = parseWorkload(
      `name: search-test
corpus: { path: prompts.jsonl }
warmup: { requests: 0 }
measure: { requests: 20 }
stability: false
search: true
budget: { p95: 100ms, p99: 500ms }
stages:
  - { stage: classify, batchSizes: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64], concurrency: 4 }
`,
      join(FIXTURES, 'search-test.yaml'),
      FIXTURES,
    );
    // 5 ms per item of batch size: 16 -> 80 ms (within 100 ms), 24 -> 120 ms (over); 20 ms either side for timer lag.
    const target = delayTarget(({ batchSize }) => 5 * batchSize);
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-search-'));
    const { report } = await runBenchmark({ workload, outDir, runId: 'search', environment, openTarget: async () => target });
    const sweep = planSteps(workload).length;
    expect(report.search).toHaveLength(1);
    const [search] = report.search;
    expect(search).toMatchObject({ stage: 'classify', axis: 'batchSize', answer: 16, fullSweepSteps: sweep });
    expect(search!.stepsRun).toBe(report.steps.length);
    expect(search!.stepsRun).toBeLessThan(sweep);
    expect(search!.tried.map((t) => t.value)).toEqual([1, 2, 4, 8, 16, 32, 24]);
    expect(report.steps.map((s) => s.index)).toEqual(report.steps.map((_, i) => i));
    expect(search!.itemsMeasured).toBe(report.steps.reduce((n, s) => n + s.completed + s.errors.total, 0));
    expect(search!.fullSweepItemsEstimate).toBeGreaterThan(search!.itemsMeasured);
    const judged = new Map(report.steps.map((s) => [s.batchSize, s.withinBudget]));
    expect([judged.get(16), judged.get(24), judged.get(32)]).toEqual([true, false, false]);
    expect(report.partial).toBe(false);
  }, 20_000);
});

describe('--search over open-loop rates through the runner', () => {
  it('finds the highest rate a 100 items/s server keeps within budget, to 5 %, between the listed rates', async () => {
    const workload = parseWorkload(
      `name: rate-search-test
corpus: { path: prompts.jsonl }
load: { rates: [10, 160] }
warmup: { requests: 0 }
measure: { duration: 1s }
stability: false
search: true
budget: { p95: 100ms, p99: 1s }
stages:
  - { stage: classify, batchSizes: [1] }
`,
      join(FIXTURES, 'rate-search-test.yaml'),
      FIXTURES,
    );
    // One item at a time, 10 ms each: above 100 items/s the queue (and the latency) grows for the whole step,
    // by (rate - 100) x 10 ms per second, so a 1 s step's p95 passes 100 ms near 110/s. At 80/s p95 stays
    // far below it, even with the timer lag of a loaded machine (a 60 ms budget once failed 80/s there).
    let freeAtMs = 0;
    const target = delayTarget(() => {
      const now = performance.now();
      freeAtMs = Math.max(now, freeAtMs) + 10;
      return freeAtMs - now;
    });
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-rate-search-'));
    const { report } = await runBenchmark({ workload, outDir, runId: 'rate-search', environment, openTarget: async () => target });
    const [search] = report.search;
    expect(search).toMatchObject({ stage: 'classify', axis: 'ratePerSec', fullSweepSteps: 2 });
    expect(search!.tried.slice(0, 5).map((t) => t.value)).toEqual([10, 20, 40, 80, 160]);
    expect(search!.answer).toBeGreaterThanOrEqual(80);
    expect(search!.answer).toBeLessThan(120);
    expect(report.steps.map((s) => s.openLoop?.targetRatePerSec)).toEqual(search!.tried.map((t) => t.value));
  }, 30_000);
});
