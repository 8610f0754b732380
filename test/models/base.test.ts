import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { BERT_BASE, encoderSpecs, type EncoderConfig } from '../../src/models/base/bert.js';
import { decoderForward, decoderSpecs, GPT2_SMALL, prefillBias, type DecoderConfig } from '../../src/models/base/gpt2.js';
import { baseClassifier, baseGenerator } from '../../src/models/base/load-base.js';
import { loadOrBuildWeights } from '../../src/models/base/weights-store.js';

const encoder: EncoderConfig = { ...BERT_BASE, layers: 2, hidden: 64, heads: 4, ffDim: 128, vocabSize: 1000, maxSequenceLength: 32 };
const decoder: DecoderConfig = { ...GPT2_SMALL, layers: 2, hidden: 64, heads: 4, vocabSize: 1000, maxPositions: 64, promptLength: 8 };

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('base shapes (reduced depth)', () => {
  it('full configs have BERT-base / GPT-2-small parameter counts', () => {
    const count = (specs: { shape: readonly number[] }[]) => specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    expect(count(encoderSpecs(BERT_BASE))).toBeGreaterThan(108e6);
    expect(count(encoderSpecs(BERT_BASE))).toBeLessThan(111e6);
    expect(count(decoderSpecs(GPT2_SMALL))).toBeGreaterThan(123e6);
    expect(count(decoderSpecs(GPT2_SMALL))).toBeLessThan(125e6);
  });

  it('builds the encoder into the cache folder once, reuses it, and classifies', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pb-base-'));
    const first = baseClassifier(tf, cache, encoder);
    const [folder] = readdirSync(cache);
    const builtAt = statSync(join(cache, folder!, 'weights.bin')).mtimeMs;
    const before = tf.memory().numTensors;
    const a = await first.classify(['write a python function', 'summarize this article']);
    expect(tf.memory().numTensors).toBe(before);
    first.dispose();
    const second = baseClassifier(tf, cache, encoder);
    expect(statSync(join(cache, folder!, 'weights.bin')).mtimeMs).toBe(builtAt);
    expect(await second.classify(['write a python function', 'summarize this article'])).toEqual(a);
    expect(second.info.size).toBe('base');
    second.dispose();
  });

  it('builds the decoder and generates maxNewTokens steps with onStep each', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pb-base-'));
    const runtime = baseGenerator(tf, cache, decoder);
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    const [out] = await runtime.generate([{ text: 'plan a trip to japan', intent: 'task_planning', techniques: [] }], {
      maxNewTokens: 5,
      onStep: (s) => steps.push(s),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toEqual([0, 1, 2, 3, 4]);
    expect(out!.tokenCount).toBe(5);

    runtime.dispose();
  });

  it('names the cached weights file when it is truncated', () => {
    const cache = mkdtempSync(join(tmpdir(), 'pb-base-'));
    baseClassifier(tf, cache, encoder).dispose();
    const folder = join(cache, readdirSync(cache)[0]!);
    writeFileSync(join(folder, 'weights.bin'), Buffer.alloc(16));
    expect(() => baseClassifier(tf, cache, encoder)).toThrow(InputError);
  });
});

describe('decoderForward', () => {
  it('cached steps give the same tokens as full recomputation', () => {
    const specs = decoderSpecs(decoder);
    const stored = loadOrBuildWeights(mkdtempSync(join(tmpdir(), 'pb-dec-')), decoder, specs, 7);
    const tensors = new Map([...stored.arrays].map(([n, a]) => [n, tf.tensor(a.values, [...a.shape])]));
    const w = (n: string) => tensors.get(n)!;
    const prompt = [5, 17, 42, 99, 3, 8, 250, 12];
    const cached: number[] = [];
    const cache = { keys: [] as tf.Tensor[], values: [] as tf.Tensor[] };
    let next = tf.tidy(() => {
      const ids = tf.tensor2d([prompt], [1, 8], 'int32');
      return decoderForward(tf, decoder, w, ids, 0, prefillBias(tf, tf.onesLike(ids), 8), cache);
    });
    for (let s = 1; s <= 4; s++) {
      cached.push(next.dataSync()[0]!);
      const prev = next;
      next = tf.tidy(() => decoderForward(tf, decoder, w, tf.reshape(prev, [1, 1]), 8 + s - 1, tf.zeros([1, 1, 1, 8 + s]), cache));
      prev.dispose();
    }
    cached.push(next.dataSync()[0]!);
    next.dispose();
    [...cache.keys, ...cache.values].forEach((t) => t.dispose());

    const full: number[] = [];
    for (let s = 0; s < 5; s++) {
      const seq = [...prompt, ...full];
      full.push(
        tf.tidy(() => {
          const ids = tf.tensor2d([seq], [1, seq.length], 'int32');
          const fresh = { keys: [] as tf.Tensor[], values: [] as tf.Tensor[] };
          const id = decoderForward(tf, decoder, w, ids, 0, prefillBias(tf, tf.onesLike(ids), seq.length), fresh).dataSync()[0]!;
          [...fresh.keys, ...fresh.values].forEach((t) => t.dispose());
          return id;
        }),
      );
    }
    expect(cached).toEqual(full);
    tensors.forEach((t) => t.dispose());
  });
});
