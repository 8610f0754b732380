import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGenerator, techniqueVector } from '../../src/models/generator-arch.js';
import { generatorRuntime, intentIndex } from '../../src/models/generator-runtime.js';
import { buildVocab, CLS_ID, WordVocab } from '../../src/models/vocab.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const words = 'you are an expert think step by step and then answer the question clearly'.split(' ');

describe('generator step decoding', () => {
  it('matches the teacher-forcing graph token for token (same GRU math)', async () => {
    const outVocab = new WordVocab(buildVocab([words.join(' ')], false, 1, 100));
    const inVocab = new WordVocab(buildVocab(['write a python function'], true, 1, 100));
    const model = buildGenerator({
      inputVocabSize: inVocab.size,
      outputVocabSize: outVocab.size,
      intents: 10,
      promptDim: 8,
      intentDim: 4,
      tokenDim: 8,
      stepConditionDim: 6,
      units: 16,
    });
    // Larger random weights make the greedy choice sensitive to every term of the GRU update.
    model.setWeights(model.getWeights().map((w) => tf.mul(w, 4)));
    const info = {
      name: 'g',
      task: 'generate' as const,
      version: '0',
      format: 'layers' as const,
      size: 'test',
      parameters: model.countParams(),
      maxSequenceLength: 8,
      dir: '.',
    };
    const runtime = generatorRuntime(tf, model, inVocab, outVocab, info);
    const input = { text: 'write a python function', intent: 'code_generation', techniques: ['step_by_step' as const] };
    const steps = 12;
    const tokens: number[] = [];
    const decodeSpy = outVocab.decode.bind(outVocab);
    outVocab.decode = (ids) => {
      tokens.push(...ids);
      return decodeSpy(ids);
    };
    await runtime.generate([input], { maxNewTokens: steps });
    const expected = tf.tidy(() => {
      const logits = model.predict([
        tf.tensor2d([inVocab.encodeFixed(input.text, 8)], [1, 8], 'int32'),
        tf.tensor2d([[intentIndex(input.intent)]], [1, 1], 'int32'),
        tf.tensor2d([techniqueVector(input.techniques)]),
        tf.tensor2d([[CLS_ID, ...tokens.slice(0, steps - 1)]], [1, steps], 'int32'),
      ]) as tf.Tensor;
      return Array.from(tf.argMax(logits, 2).dataSync());
    });
    expect(tokens).toEqual(expected);
    runtime.dispose();
  });
});
