import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetUnavailableError } from '../../../src/errors.js';
import { epochNowMs } from '../../../src/core/clock.js';
import { type InProcessTarget } from '../../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../../src/targets/inprocess/create-target.js';
import type { ItemResult } from '../../../src/core/item-result.js';

// A real worker thread running the built-in small classifier on wasm (from dist/, built by the
// global setup). No generator is loaded here: generate requests exercise a fault in the worker.
let target: InProcessTarget;
const texts = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) => `${tag} ${i}: how do I write a function that sorts a list of numbers in python`);

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 1,
    models: { classify: { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } },
  });
});
afterAll(async () => {
  await target.close();
});

describe('in-process target, classify on a wasm worker', () => {
  it('reports the backend it runs and the model it loaded', () => {
    expect(target.backend).toMatchObject({ name: 'wasm', instances: 1, isolation: 'worker', gpu: false, simd: true, skipped: [] });
    expect(target.models.map((m) => [m.name, m.task])).toEqual([['intent-classifier', 'classify']]);
    expect(target.models[0]?.parameters).toBeGreaterThan(0);
    expect(target.info.kind).toBe('inprocess');
  });

  it('times raw classify() calls inside the instance for calibration, one duration per call', async () => {
    const durations = await target.timeRawClassify(texts(4, 'raw'), 3);
    expect(durations).toHaveLength(3);
    for (const ms of durations) expect(ms).toBeGreaterThan(0);
  });

  it('batches dynamic submits up to maxBatchSize and stamps queue and inference time on one clock', async () => {
    await target.configure('classify', { maxBatchSize: 4, maxQueueDelayMs: 5, maxNewTokens: 8 });
    const tArrivalMs = epochNowMs();
    const results = await Promise.all(texts(10, 'dyn').map((t) => target.submit('classify', t, tArrivalMs)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.batchSize)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 2, 2]);
    for (const r of results) {
      expect(r.queueMs).toBeGreaterThanOrEqual(0);
      expect(r.inferenceMs).toBeGreaterThan(0);
      // Worker stamps and main-thread stamps share one axis: the response follows queue + inference.
      expect(r.tResponseMs - r.tArrivalMs).toBeGreaterThanOrEqual(r.queueMs + r.inferenceMs);
      expect(r.tResponseMs - r.tArrivalMs - r.queueMs - r.inferenceMs).toBeLessThan(50);
    }
    // Later batches waited for the single instance: their queue time includes the earlier batches.
    expect(results[9]!.queueMs).toBeGreaterThan(results[0]!.inferenceMs);
  });

  it('runs a static batch as exactly one model call of b items', async () => {
    for (const b of [1, 3, 8]) {
      const results = await target.submitBatch('classify', texts(b, `static${b}`), epochNowMs());
      expect(results).toHaveLength(b);
      expect(results.every((r) => r.ok && r.batchSize === b)).toBe(true);
      expect(new Set(results.map((r) => r.inferenceMs)).size).toBe(1);
    }
  });

  it('keeps the number of live tensors flat across a sweep of batch sizes', async () => {
    await target.submitBatch('classify', texts(2, 'warm'), epochNowMs());
    const [before] = await target.memory();
    for (const b of [1, 2, 4, 8, 16]) await target.submitBatch('classify', texts(b, `leak${b}`), epochNowMs());
    const [after] = await target.memory();
    expect(before?.numTensors).toBeGreaterThan(0);
    expect(after?.numTensors).toBe(before?.numTensors);
  });

  it('keeps the main event loop free while a large batch runs in the worker', async () => {
    const tickMs = 5;
    let maxLatenessMs = 0;
    let last = performance.now();
    let ticks = 0;
    const interval = setInterval(() => {
      const now = performance.now();
      maxLatenessMs = Math.max(maxLatenessMs, now - last - tickMs);
      last = now;
      ticks++;
    }, tickMs);
    let results: ItemResult[];
    try {
      results = await target.submitBatch('classify', texts(64, 'big'), epochNowMs());
    } finally {
      clearInterval(interval);
    }
    const batchMs = results[0]!.inferenceMs;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batchMs).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThan(batchMs / tickMs / 4);
    expect(maxLatenessMs).toBeLessThan(batchMs / 4);
  });

  it('a throw inside the worker comes back as ok=false with its class, not a rejection', async () => {
    const result = await target.submit('generate', 'write me a poem', epochNowMs());
    expect(result).toMatchObject({ ok: false, errorClass: 'no_model', batchSize: 1 });
    const batch = await target.submitBatch('generate', ['a', 'b'], epochNowMs());
    expect(batch.map((r) => r.errorClass)).toEqual(['no_model', 'no_model']);
  });

  it('refuses to configure a stage whose model it was not given', async () => {
    await expect(target.configure('pipeline', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 4 })).rejects.toBeInstanceOf(
      TargetUnavailableError,
    );
  });
});
