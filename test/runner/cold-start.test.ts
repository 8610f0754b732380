/**
 * Each in-process step makes its first model call before its load: one batch of the step's size
 * per instance, timed apart (steps[].coldStartMs) and never in the histograms. The target here
 * pays 300 ms at the first call of each batch size per instance and 2 ms after, like a native
 * backend building kernels for a new shape. It reports that model time as it declares it (as a
 * model instance reports its own), so what the step measured does not hang on timer lag under load.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../src/core/clock.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { ItemResult } from '../../src/core/item-result.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import type { RunnerTarget } from '../../src/runner/types.js';
import type { StaticBatchTarget } from '../../src/targets/target.js';
import { parseWorkload } from '../../src/workload/load.js';
import { environment } from './fake-targets.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');
const COLD_MS = 300;
const WARM_MS = 2;

/** Two "instances" (slots); a batch goes to a free one, and each pays COLD_MS once per batch size. */
function shapeTarget(): RunnerTarget & StaticBatchTarget & { calls: { slot: number; size: number; cold: boolean }[] } {
  const seen = [new Set<number>(), new Set<number>()];
  const busy = [false, false];
  const calls: { slot: number; size: number; cold: boolean }[] = [];
  const run = (size: number, tArrivalMs: number): Promise<ItemResult[]> => {
    const slot = busy[0] ? 1 : 0;
    busy[slot] = true;
    const cold = !seen[slot]!.has(size);
    seen[slot]!.add(size);
    calls.push({ slot, size, cold });
    const tDispatchMs = epochNowMs();
    const modelMs = cold ? COLD_MS : WARM_MS;
    return new Promise((resolve) =>
      setTimeout(() => {
        busy[slot] = false;
        const t = epochNowMs();
        resolve(
          Array.from({ length: size }, () => ({
            ok: true,
            tArrivalMs,
            tResponseMs: t,
            queueMs: tDispatchMs - tArrivalMs,
            inferenceMs: modelMs,
            batchSize: size,
          })),
        );
      }, modelMs),
    );
  };
  return {
    info: { kind: 'inprocess', description: 'shape target' },
    backend: {
      name: 'test',
      package: 'test',
      version: '0',
      threads: 1,
      simd: false,
      gpu: false,
      skipped: [],
      instances: 2,
      isolation: 'process',
    },
    models: [],
    calls,
    async configure() {},
    submit: async (_stage, _text, tArrivalMs) => (await run(1, tArrivalMs))[0]!,
    submitBatch: (_stage, texts, tArrivalMs) => run(texts.length, tArrivalMs),
    async close() {},
  };
}

describe('cold start per step', () => {
  it('is the first call at the step batch size on every instance, kept out of the measured histograms', async () => {
    const workload = parseWorkload(
      `name: cold-start
corpus: { path: prompts.jsonl }
warmup: { requests: 0 }
measure: { requests: 16 }
stability: false
stages:
  - { stage: classify, mode: static, batchSizes: [1, 4], concurrency: 1 }
`,
      join(FIXTURES, 'cold-start.yaml'),
      FIXTURES,
    );
    const target = shapeTarget();
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-cold-'));
    await runBenchmark({ workload, outDir, runId: 'cold', environment, openTarget: async () => target });
    const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
    expect(report.steps.map((s) => s.batchSize)).toEqual([1, 4]);
    for (const step of report.steps) {
      expect(step.coldStartMs).toBe(COLD_MS);
      // Only the load's items are counted (the cold start's 2 batches are not), and none of them paid
      // the cold start, with no warm-up to hide it in.
      expect(step.completed).toBe(16);
      expect(step.latencyMs.inference!.max).toBeLessThan(COLD_MS / 2);
    }
    // Before each step's load: one batch of its size on each of the two instances, at once; those
    // are the only calls that paid for a new shape.
    expect(target.calls.slice(0, 2)).toEqual([
      { slot: 0, size: 1, cold: true },
      { slot: 1, size: 1, cold: true },
    ]);
    const step2 = target.calls.findIndex((call) => call.size === 4);
    expect(target.calls.slice(step2, step2 + 2)).toEqual([
      { slot: 0, size: 4, cold: true },
      { slot: 1, size: 4, cold: true },
    ]);
    expect(target.calls.filter((call) => call.cold)).toHaveLength(4);
    expect(target.calls.filter((call) => call.size === 4)).toHaveLength(2 + 16 / 4);
  });
});
