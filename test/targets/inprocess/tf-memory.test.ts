import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import { type InProcessTarget } from '../../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../../src/targets/inprocess/create-target.js';

// Two real wasm worker threads with the built-in small classifier (from dist/, built by the global
// setup): tf.memory() summed over both is the soak's no-leak baseline.
let target: InProcessTarget;
const texts = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) => `${tag} ${i}: explain how a hash map handles collisions`);

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 2,
    models: { classify: { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } },
  });
  await target.configure('classify', { maxBatchSize: 8, maxQueueDelayMs: 2, maxNewTokens: 8 });
});
afterAll(async () => {
  await target.close();
});

describe('tf.memory() from the in-process instances', () => {
  it('sums both instances: tensors held by the models, and the same count after repeated inference', async () => {
    await Promise.all(texts(16, 'warm').map((t) => target.submit('classify', t, epochNowMs())));
    const perInstance = await target.memory();
    const before = await target.tfMemory();
    expect(perInstance).toHaveLength(2);
    expect(before?.numTensors).toBeGreaterThan(0);
    expect(before?.numBytes).toBeGreaterThan(0);
    expect(before).toEqual({
      numTensors: perInstance.reduce((n, m) => n + m.numTensors, 0),
      numBytes: perInstance.reduce((n, m) => n + m.numBytes, 0),
    });
    for (let round = 0; round < 3; round++) {
      await Promise.all(texts(24, `round${round}`).map((t) => target.submit('classify', t, epochNowMs())));
      expect(await target.tfMemory()).toEqual(before);
    }
  });

  it('answers between batches while inference runs, without failing any item', async () => {
    const items = Promise.all(texts(64, 'busy').map((t) => target.submit('classify', t, epochNowMs())));
    const during = await Promise.all([target.tfMemory(5000), target.tfMemory(5000), target.tfMemory(5000)]);
    const results = await items;
    expect(results.every((r) => r.ok)).toBe(true);
    for (const memory of during) expect(memory?.numTensors).toBeGreaterThan(0);
  });

  it('is null while one instance is held by a long batch (no partial sum), and once the target is closed', async () => {
    const baseline = await target.tfMemory();
    // A static batch runs as one model call on one instance; the other stays idle and answers.
    const big = target.submitBatch('classify', texts(64, 'long'), epochNowMs());
    const startedMs = epochNowMs();
    const during = await target.tfMemory(20);
    const results = await big;
    const batchMs = epochNowMs() - startedMs;
    expect(batchMs).toBeGreaterThan(20);
    expect(during).toBeNull();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await target.tfMemory()).toEqual(baseline);
    await target.close();
    expect(await target.tfMemory()).toBeNull();
  });
});
