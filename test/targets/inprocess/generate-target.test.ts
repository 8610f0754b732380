import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import { INTENTS } from '../../../src/models/taxonomy.js';
import { bareIntent, bareTechniques } from '../../../src/targets/inprocess/bare-intent.js';
import { type InProcessTarget } from '../../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../../src/targets/inprocess/create-target.js';
import type { ItemResult } from '../../../src/core/item-result.js';

// Two real wasm worker threads, each with the built-in small classifier and generator.
let target: InProcessTarget;
const spec = (name: 'intent-classifier' | 'prompt-generator') =>
  ({ kind: 'builtin', name, size: 'small', cacheDir: '/tmp/pipebench-test-cache' }) as const;
const prompts = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) => `${tag} ${i}: explain step by step how to plan a three day trip to rome`);

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 2,
    models: { classify: spec('intent-classifier'), generate: spec('prompt-generator') },
  });
});
afterAll(async () => {
  await target.close();
});

function expectGenerated(r: ItemResult, maxNewTokens: number): void {
  expect(r.ok).toBe(true);
  expect(r.outputTokens).toBeGreaterThanOrEqual(1);
  expect(r.outputTokens).toBeLessThanOrEqual(maxNewTokens);
  expect(r.ttftMs).toBeGreaterThan(0);
  expect(r.ttftMs).toBeLessThanOrEqual(r.inferenceMs);
  if (r.outputTokens! > 1) expect(r.itlMs).toBeGreaterThan(0);
  // First token plus the gaps after it fit inside the generate call.
  expect(r.ttftMs! + (r.outputTokens! - 1) * (r.itlMs ?? 0)).toBeLessThanOrEqual(r.inferenceMs + 1e-6);
  expect(r.tResponseMs - r.tArrivalMs).toBeGreaterThanOrEqual(r.queueMs + r.inferenceMs);
}

describe('bare generate input', () => {
  it('picks the same intent for the same text and spreads texts over the taxonomy', () => {
    expect(bareIntent('hello world')).toBe(bareIntent('hello world'));
    const seen = new Set(prompts(200, 'spread').map(bareIntent));
    expect(seen.size).toBeGreaterThanOrEqual(8);
    for (const intent of seen) expect(INTENTS).toContain(intent);
    expect(bareTechniques('hello world').length).toBeGreaterThan(0);
  });
});

describe('in-process target, generate and pipeline on two wasm workers', () => {
  it('reports both models and two worker instances', () => {
    expect(target.models.map((m) => m.task)).toEqual(['classify', 'generate']);
    expect(target.backend).toMatchObject({ name: 'wasm', instances: 2, isolation: 'worker' });
    expect(new Set(target.instanceIds.map((i) => i.threadId)).size).toBe(2);
  });

  it('generates with TTFT, ITL and token counts, honouring maxNewTokens between steps', async () => {
    await target.configure('generate', { maxBatchSize: 4, maxQueueDelayMs: 2, maxNewTokens: 6 });
    const results = await Promise.all(prompts(8, 'gen').map((t) => target.submit('generate', t, epochNowMs())));
    for (const r of results) expectGenerated(r, 6);
    expect(Math.max(...results.map((r) => r.batchSize))).toBeLessThanOrEqual(4);
    expect(results.some((r) => r.outputTokens === 6)).toBe(true);
    await target.configure('generate', { maxBatchSize: 4, maxQueueDelayMs: 2, maxNewTokens: 3 });
    const shorter = await target.submitBatch('generate', prompts(3, 'short'), epochNowMs());
    for (const r of shorter) expectGenerated(r, 3);
  });

  it('with two instances and no queue delay, the first two items run at once on both', async () => {
    await target.configure('generate', { maxBatchSize: 8, maxQueueDelayMs: 0, maxNewTokens: 4 });
    const results = await Promise.all(prompts(2, 'pair').map((t) => target.submit('generate', t, epochNowMs())));
    expect(results.map((r) => r.batchSize)).toEqual([1, 1]);
    // Neither waited for the other's batch.
    for (const r of results) expect(r.queueMs).toBeLessThan(Math.min(...results.map((x) => x.inferenceMs)));
  });

  it('runs the pipeline: classify batch, techniques on the main thread, generate batch; times summed', async () => {
    await target.configure('pipeline', { maxBatchSize: 4, maxQueueDelayMs: 2, maxNewTokens: 5 });
    const results = await Promise.all(prompts(6, 'pipe').map((t) => target.submit('pipeline', t, epochNowMs())));
    for (const r of results) {
      expectGenerated(r, 5);
      // The classify call is in inferenceMs too, so it exceeds the generate part's own span.
      expect(r.inferenceMs).toBeGreaterThan(r.ttftMs! + (r.outputTokens! - 1) * (r.itlMs ?? 0));
    }
  });

  it('runs a static pipeline batch as one classify call and one generate call of exactly b', async () => {
    await target.configure('pipeline', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 4 });
    for (const b of [1, 5]) {
      const results = await target.submitBatch('pipeline', prompts(b, `static${b}`), epochNowMs());
      expect(results).toHaveLength(b);
      expect(results.every((r) => r.ok && r.batchSize === b)).toBe(true);
      expect(new Set(results.map((r) => r.tResponseMs)).size).toBe(1);
      expect(new Set(results.map((r) => r.inferenceMs)).size).toBe(1);
    }
  });

  it('keeps the number of live tensors flat across generate batch sizes', async () => {
    await target.configure('generate', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 4 });
    await target.submitBatch('generate', prompts(2, 'warm'), epochNowMs());
    await target.submitBatch('generate', prompts(2, 'warm'), epochNowMs());
    const before = await target.memory();
    for (const b of [1, 4, 8]) await target.submitBatch('generate', prompts(b, `leak${b}`), epochNowMs());
    const after = await target.memory();
    expect(after.map((m) => m.numTensors)).toEqual(before.map((m) => m.numTensors));
  });
});
