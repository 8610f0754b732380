import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinModelDir, loadModel } from '../../src/models/load.js';
import type { ClassifierRuntime, GeneratorRuntime } from '../../src/models/types.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('loadModel (built-in small)', () => {
  it('resolves the built-in folder from the repo root', () => {
    expect(builtinModelDir('intent-classifier')).toMatch(/\/models\/intent-classifier$/);
  });

  it('loads the classifier and returns one label per text without leaking tensors', async () => {
    const runtime = (await loadModel(tf, {
      kind: 'builtin',
      name: 'intent-classifier',
      size: 'small',
      cacheDir: '/unused',
    })) as ClassifierRuntime;
    expect(runtime.task).toBe('classify');
    expect(runtime.info.maxSequenceLength).toBe(64);
    await runtime.classify(['warm up']);
    const before = tf.memory().numTensors;
    const out = await runtime.classify(['Write a Python function that parses a CSV file', 'Translate "good morning" into French']);
    expect(tf.memory().numTensors).toBe(before);
    expect(out).toHaveLength(2);
    for (const o of out) {
      expect(o.confidence).toBeGreaterThan(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
    }
    runtime.dispose();
  });

  it('loads the generator and decodes exactly maxNewTokens steps, calling onStep per step', async () => {
    const runtime = (await loadModel(tf, {
      kind: 'builtin',
      name: 'prompt-generator',
      size: 'small',
      cacheDir: '/unused',
    })) as GeneratorRuntime;
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    const out = await runtime.generate(
      [
        { text: 'Write a Python function that parses a CSV file', intent: 'code_generation', techniques: ['structured_output'] },
        { text: 'Summarize this article', intent: 'summarization', techniques: ['constraints'] },
      ],
      { maxNewTokens: 12, onStep: (s) => steps.push(s) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toEqual([...Array(12).keys()]);
    expect(out.map((o) => o.tokenCount)).toEqual([12, 12]);
    runtime.dispose();
  });
});
