/**
 * `base` built-ins: BERT-base- and GPT-2-small-shaped networks with seeded random weights, built
 * into the cache folder on first use. They exist for compute shape on GPU nodes; their outputs
 * carry no meaning (labels and words are arbitrary).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { INTENTS } from '../taxonomy.js';
import type { ClassifierRuntime, GenerateInput, GenerateOptions, GenerateOutput, GeneratorRuntime } from '../types.js';
import type { ModelInfo } from '../../core/model-info.js';
import { builtinModelDirOf } from './builtin-dir.js';
import { loadVocab } from '../tokenizers.js';
import { CLS_ID, type WordVocab } from '../vocab.js';
import { BERT_BASE, encoderForward, encoderSpecs, type EncoderConfig } from './bert.js';
import { decoderForward, decoderSpecs, GPT2_SMALL, prefillBias, type DecoderConfig, type KvCache } from './gpt2.js';
import { loadOrBuildWeights, type WeightSpec } from './weights-store.js';

type TF = typeof tfTypes;
type T = tfTypes.Tensor;

export const BASE_SEED = 1234;

interface Loaded {
  readonly dir: string;
  readonly tensors: ReadonlyMap<string, T>;
  readonly parameters: number;
  readonly weight: (name: string) => T;
}

function loadWeights(tf: TF, cacheDir: string, name: string, config: object, specs: readonly WeightSpec[]): Loaded {
  const key = createHash('sha256')
    .update(JSON.stringify({ config, seed: BASE_SEED }))
    .digest('hex')
    .slice(0, 12);
  const dir = join(cacheDir, `${name}-base-${key}`);
  const stored = loadOrBuildWeights(dir, config, specs, BASE_SEED);
  const tensors = new Map<string, T>();
  for (const [n, a] of stored.arrays) tensors.set(n, tf.tensor(a.values, [...a.shape], 'float32'));
  const parameters = [...tensors.values()].reduce((sum, t) => sum + t.size, 0);
  const weight = (n: string): T => {
    const t = tensors.get(n);
    if (t === undefined) throw new Error(`base weights lack ${n}`);
    return t;
  };
  return { dir, tensors, parameters, weight };
}

function info(name: string, task: ModelInfo['task'], parameters: number, maxSequenceLength: number, dir: string): ModelInfo {
  // Plain-op networks with a weights-only cache; 'layers' is the closest format the contract names.
  return { name, task, version: `base-seed${BASE_SEED}`, format: 'layers', size: 'base', parameters, maxSequenceLength, dir };
}

export function baseClassifier(tf: TF, cacheDir: string, config: EncoderConfig = BERT_BASE): ClassifierRuntime {
  const w = loadWeights(tf, cacheDir, 'intent-classifier', config, encoderSpecs(config));
  const vocab = loadVocab(join(builtinModelDirOf('intent-classifier'), 'vocab.json'));
  const labels = INTENTS.slice(0, config.labels);
  return {
    task: 'classify',
    info: info('intent-classifier', 'classify', w.parameters, config.maxSequenceLength, w.dir),
    async classify(texts: readonly string[]) {
      if (texts.length === 0) return [];
      const len = config.maxSequenceLength;
      const ids = texts.flatMap((t) => vocab.encodeFixed(t, len).map((id) => id % config.vocabSize));
      const [best, index] = tf.tidy(() => {
        const probs = encoderForward(tf, config, w.weight, tf.tensor2d(ids, [texts.length, len], 'int32'));
        return [tf.max(probs, 1), tf.argMax(probs, 1)];
      });
      const [conf, idx] = await Promise.all([best.data(), index.data()]);
      best.dispose();
      index.dispose();
      return texts.map((_, i) => ({ label: labels[idx[i]!] ?? `label_${idx[i]}`, confidence: conf[i]! }));
    },
    dispose: () => w.tensors.forEach((t) => t.dispose()),
  };
}

function leftPadded(vocab: WordVocab, text: string, length: number, vocabSize: number): number[] {
  const ids = [CLS_ID, ...vocab.wordIds(text, length - 1)].map((id) => id % vocabSize);
  return [...new Array<number>(length - ids.length).fill(0), ...ids];
}

export function baseGenerator(tf: TF, cacheDir: string, config: DecoderConfig = GPT2_SMALL): GeneratorRuntime {
  const w = loadWeights(tf, cacheDir, 'prompt-generator', config, decoderSpecs(config));
  const dir = builtinModelDirOf('prompt-generator');
  const inputVocab = loadVocab(join(dir, 'vocab.json'));
  const outputVocab = loadVocab(join(dir, 'output-vocab.json'));
  return {
    task: 'generate',
    info: info('prompt-generator', 'generate', w.parameters, config.promptLength, w.dir),
    async generate(inputs: readonly GenerateInput[], options: GenerateOptions): Promise<GenerateOutput[]> {
      if (inputs.length === 0) return [];
      const p = config.promptLength;
      if (p + options.maxNewTokens > config.maxPositions) {
        throw new RangeError(`prompt ${p} + maxNewTokens ${options.maxNewTokens} exceeds ${config.maxPositions} positions`);
      }
      const batch = inputs.length;
      const promptIds = inputs.flatMap((i) => leftPadded(inputVocab, `${i.intent} ${i.text}`, p, config.vocabSize));
      const cache: KvCache = { keys: [], values: [] };
      const padBias = tf.tidy(() =>
        tf.reshape(tf.mul(tf.cast(tf.equal(tf.tensor2d(promptIds, [batch, p], 'int32'), 0), 'float32'), -1e9), [batch, 1, 1, p]),
      );
      const rows: number[][] = inputs.map(() => []);
      let ids: T | undefined;
      try {
        for (let s = 0; s < options.maxNewTokens; s++) {
          const previous: T | undefined = ids;
          ids = tf.tidy(() => {
            if (previous === undefined) {
              const prompt = tf.tensor2d(promptIds, [batch, p], 'int32');
              return decoderForward(tf, config, w.weight, prompt, 0, prefillBias(tf, tf.notEqual(prompt, 0), p), cache);
            }
            const bias = tf.concat([padBias, tf.zeros([batch, 1, 1, s])], 3);
            return decoderForward(tf, config, w.weight, tf.reshape(previous, [batch, 1]), p + s - 1, bias, cache);
          });
          previous?.dispose();
          const host = await ids.data();
          host.forEach((id, r) => rows[r]!.push(id));
          options.onStep?.(s);
        }
      } finally {
        ids?.dispose();
        padBias.dispose();
        [...cache.keys, ...cache.values].forEach((t) => t.dispose());
      }
      // Random weights: map ids onto the small generator's words so the text is at least printable.
      const words = (row: number[]): string => row.map((id) => outputVocab.tokens[4 + (id % (outputVocab.size - 4))]).join(' ');
      return rows.map((row) => ({ text: words(row), tokenCount: row.length }));
    },
    dispose: () => w.tensors.forEach((t) => t.dispose()),
  };
}

export async function loadBaseModel(tf: TF, name: 'intent-classifier' | 'prompt-generator', cacheDir: string) {
  return name === 'intent-classifier' ? baseClassifier(tf, cacheDir) : baseGenerator(tf, cacheDir);
}
