import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochNowMs } from '../../src/core/clock.js';
import { INTENTS } from '../../src/models/taxonomy.js';
import { complexityOf } from '../../src/targets/inprocess/infer-output.js';
import { type InProcessTarget } from '../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../src/targets/inprocess/create-target.js';

// InProcessTarget.infer(): the answers and the streaming that serve is built on (one wasm worker).
let target: InProcessTarget;
const spec = (name: 'intent-classifier' | 'prompt-generator') =>
  ({ kind: 'builtin', name, size: 'small', cacheDir: '/tmp/pipebench-test-cache' }) as const;
const TEXT = 'explain step by step how to plan a three day trip to rome';

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 1,
    models: { classify: spec('intent-classifier'), generate: spec('prompt-generator') },
  });
  await target.configure('pipeline', { maxBatchSize: 8, maxQueueDelayMs: 2, maxNewTokens: 16 });
});
afterAll(async () => {
  await target.close();
});

describe('complexityOf', () => {
  it('grades by word count: empty and short are simple, long is complex', () => {
    expect(complexityOf('')).toBe('simple');
    expect(complexityOf('one two three four five six seven eight')).toBe('simple');
    expect(complexityOf('w '.repeat(9))).toBe('moderate');
    expect(complexityOf('w '.repeat(20))).toBe('moderate');
    expect(complexityOf('w '.repeat(21))).toBe('complex');
  });
});

describe('InProcessTarget.infer', () => {
  it('classifies with intent, confidence, complexity and techniques, one static call for several texts', async () => {
    const outcomes = await target.infer('classify', [TEXT, 'write a poem about autumn', 'translate good morning into german']);
    expect(outcomes).toHaveLength(3);
    for (const { result, output } of outcomes) {
      expect(result.ok).toBe(true);
      expect(result.batchSize).toBe(3);
      expect(output?.kind).toBe('classify');
      if (output?.kind !== 'classify') continue;
      expect(INTENTS).toContain(output.intent);
      expect(output.confidence).toBeGreaterThan(0);
      expect(output.techniques.length).toBeGreaterThan(0);
    }
  });

  it('generates with the given condition and matches what submit() generates for timing fields', async () => {
    const [one] = await target.infer('generate', [TEXT], { conditions: [{ intent: 'task_planning', techniques: ['step_by_step'] }] });
    expect(one?.output).toMatchObject({ kind: 'generate', intent: 'task_planning', techniques: ['step_by_step'], tokenCount: 16 });
    expect(one?.result.ttftMs).toBeGreaterThan(0);
    const plain = await target.submit('generate', TEXT, epochNowMs());
    expect(plain.ok).toBe(true);
    expect(plain.outputTokens).toBe(16);
  });

  it('streams one piece per decode step whose concatenation is the final text, stamped in order', async () => {
    const steps: { pieces: readonly string[]; atMs: number }[] = [];
    const [outcome] = await target.infer('pipeline', [TEXT], { onTokens: (pieces, atMs) => steps.push({ pieces, atMs }) });
    expect(outcome?.output?.kind).toBe('pipeline');
    expect(steps).toHaveLength(16);
    expect(steps.every((s) => s.pieces.length === 1)).toBe(true);
    const output = outcome?.output;
    if (output?.kind === 'pipeline') expect(steps.map((s) => s.pieces[0]).join('')).toBe(output.text);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.atMs).toBeGreaterThan(steps[i - 1]!.atMs);
    // The first piece was on the host before the item's answer came back.
    expect(steps[0]!.atMs).toBeLessThan(outcome!.result.tResponseMs);
  });

  it('streams a static batch as one call per step with a piece per text', async () => {
    const calls: (readonly string[])[] = [];
    const texts = [TEXT, 'write a haiku about the sea'];
    const outcomes = await target.infer('generate', texts, { onTokens: (pieces) => calls.push(pieces) });
    expect(calls).toHaveLength(16);
    expect(calls.every((c) => c.length === 2)).toBe(true);
    outcomes.forEach((o, i) => {
      if (o.output?.kind === 'generate') expect(calls.map((c) => c[i]).join('')).toBe(o.output.text);
    });
  });

  it('returns no output for a failed item (after close)', async () => {
    const closed = await createInProcessTarget({ backend: 'wasm', instances: 1, models: { classify: spec('intent-classifier') } });
    await closed.close();
    const [outcome] = await closed.infer('classify', [TEXT]);
    expect(outcome?.result).toMatchObject({ ok: false, errorClass: 'target_closed' });
    expect(outcome?.output).toBeUndefined();
  });
});
