import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepRecorder } from '../../src/metrics/recorder.js';
import type { StepMeasurement } from '../../src/core/measurement.js';
import { mergeMeasurements, mergeStability, repeatSpread } from '../../src/runner/merge-repeats.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import type { ItemResult } from '../../src/core/item-result.js';
import { parseWorkload } from '../../src/workload/load.js';
import { delayTarget, environment } from './fake-targets.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

function item(startMs: number, latencyMs: number, ok = true): ItemResult {
  return ok
    ? { ok, tArrivalMs: startMs, tResponseMs: startMs + latencyMs, queueMs: 0, inferenceMs: latencyMs, batchSize: 2 }
    : { ok, errorClass: 'timeout', tArrivalMs: startMs, tResponseMs: startMs + latencyMs, queueMs: 0, inferenceMs: 0, batchSize: 2 };
}

/** Items every 10 ms from `t0` with the given latencies, recorded into `into` too. */
function measure(t0: number, latencies: readonly number[], failures: number, into?: StepRecorder): StepMeasurement {
  const recorder = new StepRecorder({ clock: () => t0 });
  latencies.forEach((latency, i) => {
    recorder.record(item(t0 + 10 * i, latency));
    into?.record(item(t0 + 10 * i, latency));
  });
  for (let i = 0; i < failures; i++) recorder.record(item(t0 + 10 * i, 1, false));
  return recorder.finish();
}

describe('mergeMeasurements', () => {
  it('adds counts and merges histograms exactly: percentiles equal recording every item in one histogram', () => {
    const all = new StepRecorder({ clock: () => 0 });
    const a = measure(
      0,
      Array.from({ length: 100 }, (_, i) => 1 + i),
      2,
      all,
    );
    const b = measure(
      60_000,
      Array.from({ length: 50 }, (_, i) => 200 + 3 * i),
      1,
      all,
    );
    const merged = mergeMeasurements([a, b]);
    expect(merged.completed).toBe(150);
    expect(merged.errors.total).toBe(3);
    expect(merged.errors.byClass).toEqual({ timeout: 3 });
    expect(merged.errors.rate).toBeCloseTo(3 / 153, 12);
    expect(merged.measuredMs).toBe(a.measuredMs + b.measuredMs);
    expect(merged.throughput.itemsPerSec).toBeCloseTo(150 / ((a.measuredMs + b.measuredMs) / 1000), 9);
    expect(merged.windows).toEqual([...a.windows, ...b.windows]);
    expect(merged.meanBatchSize).toBe(2);
    const exact = all.finish().latencyMs.e2e!;
    expect(merged.latencyMs.e2e).toEqual(exact);
    expect(merged.latencyMs.e2e!.count).toBe(150);
    // The merged p95 lies in the second repeat's range: neither repeat's own p95.
    expect(merged.latencyMs.e2e!.p95).not.toBe(a.latencyMs.e2e!.p95);
    expect(merged.latencyMs.e2e!.p95).not.toBe(b.latencyMs.e2e!.p95);
  });

  it('output text lengths merge exactly; a repeat without any keeps the others', () => {
    const lengths = (t0: number, chars: readonly number[]): StepMeasurement => {
      const recorder = new StepRecorder({ clock: () => t0 });
      chars.forEach((c, i) => recorder.record({ ...item(t0 + i, 5), outputChars: c }));
      return recorder.finish();
    };
    const a = lengths(0, [10, 20, 30]);
    const b = lengths(1000, [40, 50]);
    expect(mergeMeasurements([a, b]).outputText).toMatchObject({ items: 5, meanChars: 30, p50Chars: 30, minChars: 10, maxChars: 50 });
    const none = measure(2000, [5, 5], 0);
    expect(mergeMeasurements([none, a]).outputText).toEqual(a.outputText);
    expect(mergeMeasurements([none, none])).not.toHaveProperty('outputText');
  });

  it('retries and abandoned items add up; a report written before they were counted adds as 0', () => {
    const a = { ...measure(0, [5, 6], 0), retries: 2, abandoned: 1 };
    const b = { ...measure(1000, [7], 0), retries: 3, abandoned: 0 };
    const { retries: _r, abandoned: _a, ...older } = measure(2000, [8], 0);
    expect(mergeMeasurements([a, b, older])).toMatchObject({ retries: 5, abandoned: 1 });
  });

  it('one measurement is itself; none is an error', () => {
    const a = measure(0, [5, 6, 7], 0);
    expect(mergeMeasurements([a])).toBe(a);
    expect(() => mergeMeasurements([])).toThrow(RangeError);
  });

  it('repeatSpread keeps each repeat in order, null percentiles for one that measured nothing', () => {
    const a = measure(0, [5, 5, 5], 0);
    const empty = measure(0, [], 0);
    expect(repeatSpread([a, empty])).toEqual({
      itemsPerSec: [a.throughput.itemsPerSec, 0],
      p95Ms: [a.latencyMs.e2e!.p95, null],
      p50Ms: [a.latencyMs.e2e!.p50, null],
      p99Ms: [a.latencyMs.e2e!.p99, null],
    });
  });

  it('mergeStability: stable only when every repeat settled; extensions add up', () => {
    const stable = { kind: 'stable', reason: 'ok', p95Spread: 0.02, throughputSpread: 0.03, extendedMs: 100 } as const;
    const unstable = { kind: 'unstable', reason: 'p95 spread 30 %', p95Spread: 0.3, throughputSpread: 0.01, extendedMs: 500 } as const;
    expect(mergeStability([null, null])).toBeNull();
    expect(mergeStability([stable, stable])).toMatchObject({ kind: 'stable', extendedMs: 200, p95Spread: 0.02 });
    const merged = mergeStability([stable, unstable]);
    expect(merged).toMatchObject({ kind: 'unstable', extendedMs: 600, p95Spread: 0.3 });
    expect(merged!.reason).toContain('repeat 2');
  });
});

describe('--repeat through the runner', () => {
  it('runs the whole sweep twice in order and merges each step: counts add, repeats listed', async () => {
    const workload = parseWorkload(
      `name: repeat-test
corpus: { path: prompts.jsonl }
warmup: { requests: 0 }
measure: { requests: 30 }
stability: false
repeat: 2
stages:
  - { stage: classify, batchSizes: [1, 2], concurrency: 2 }
`,
      join(FIXTURES, 'repeat-test.yaml'),
      FIXTURES,
    );
    const order: number[] = [];
    const target = delayTarget(({ batchSize }) => {
      if (order[order.length - 1] !== batchSize) order.push(batchSize);
      return 2;
    });
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-repeat-'));
    const { report } = await runBenchmark({ workload, outDir, runId: 'repeat', environment, openTarget: async () => target });
    expect(order).toEqual([1, 2, 1, 2]);
    expect(report.partial).toBe(false);
    expect(report.steps).toHaveLength(2);
    for (const step of report.steps) {
      expect(step.completed).toBe(60);
      expect(step.latencyMs.e2e!.count).toBe(60);
      expect(step.repeats?.itemsPerSec).toHaveLength(2);
      expect(step.repeats?.p95Ms.every((p) => p !== null && p > 0)).toBe(true);
      expect(step.stability).toBeNull();
    }
  }, 10_000);
});
