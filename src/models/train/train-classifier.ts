/**
 * Trains the built-in intent classifier on the corpus train split and writes
 * models/intent-classifier/ (manifest.json, vocab.json, model.json, weights.bin, metrics.json).
 * Usage: node dist/models/train/train-classifier.js [--epochs 6] [--seed 42] [--backend wasm] [--out dir]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../layers.js';
import { buildClassifier, SMALL_CLASSIFIER } from '../classifier-arch.js';
import { fsSaveHandler } from '../fs-io.js';
import { INTENTS } from '../taxonomy.js';
import { buildVocab, WordVocab } from '../vocab.js';
import { mulberry32, shuffle } from './rng.js';
import { say } from './say.js';
import { flag, readCorpusSplits, REPO_ROOT, useBackend, type Example } from './common.js';

const MAX_SEQUENCE_LENGTH = 64;
const BATCH = 32;

function batchTensors(vocab: WordVocab, examples: readonly Example[], length: number): [tf.Tensor2D, tf.Tensor1D] {
  const ids = tf.tensor2d(
    examples.flatMap((e) => vocab.encodeFixed(e.text, length)),
    [examples.length, length],
    'int32',
  );
  const labels = tf.tensor1d(
    examples.map((e) => INTENTS.indexOf(e.intent)),
    'int32',
  );
  return [ids, labels];
}

function accuracy(model: tf.LayersModel, vocab: WordVocab, examples: readonly Example[]): number {
  let correct = 0;
  for (let i = 0; i < examples.length; i += 64) {
    const chunk = examples.slice(i, i + 64);
    const hits = tf.tidy(() => {
      const [ids, labels] = batchTensors(vocab, chunk, MAX_SEQUENCE_LENGTH);
      const predicted = tf.argMax(model.predict(ids) as tf.Tensor, 1);
      return tf.sum(tf.cast(tf.equal(predicted, labels), 'int32')).dataSync()[0]!;
    });
    correct += hits;
  }
  return correct / examples.length;
}

async function main(): Promise<void> {
  await useBackend(flag('--backend', 'wasm'));
  const epochs = Number(flag('--epochs', '6'));
  const seed = Number(flag('--seed', '42'));
  const out = flag('--out', join(REPO_ROOT, 'models/intent-classifier'));
  const { train, test } = readCorpusSplits();
  const vocabFile = buildVocab(
    train.map((e) => e.text),
    true,
    1,
    4000,
  );
  const vocab = new WordVocab(vocabFile);
  const model = buildClassifier({
    ...SMALL_CLASSIFIER,
    vocabSize: vocab.size,
    maxSequenceLength: MAX_SEQUENCE_LENGTH,
    labels: INTENTS.length,
  });
  const optimizer = tf.train.adam(1e-3);
  const rand = mulberry32(seed);
  const started = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle(rand, [...train]);
    let lossSum = 0;
    for (let i = 0; i < order.length; i += BATCH) {
      // Pad each batch only to its longest prompt: padding is masked, so outputs do not change.
      const chunk = order.slice(i, i + BATCH);
      const length = 1 + Math.max(...chunk.map((e) => vocab.wordIds(e.text, MAX_SEQUENCE_LENGTH - 1).length));
      const [ids, labels] = batchTensors(vocab, chunk, length);
      const loss = optimizer.minimize(() => {
        const probs = model.apply(ids, { training: true }) as tf.Tensor;
        const picked = tf.sum(tf.mul(tf.oneHot(labels, INTENTS.length), tf.log(tf.clipByValue(probs, 1e-7, 1))), 1);
        return tf.neg(tf.mean(picked)) as tf.Scalar;
      }, true);
      lossSum += loss!.dataSync()[0]! * Math.min(BATCH, order.length - i);
      tf.dispose([ids, labels, loss!]);
      if ((i / BATCH) % 20 === 19) say(`  batch ${i / BATCH + 1} loss ${(lossSum / (i + chunk.length)).toFixed(4)}`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    say(
      `epoch ${epoch + 1}/${epochs} loss ${(lossSum / order.length).toFixed(4)} test acc ${accuracy(model, vocab, test).toFixed(4)} (${seconds} s)`,
    );
  }
  const testAccuracy = accuracy(model, vocab, test);
  await model.save(fsSaveHandler(out));
  writeFileSync(join(out, 'vocab.json'), JSON.stringify(vocabFile));
  const manifest = {
    name: 'intent-classifier',
    version: '1.0.0',
    task: 'classify',
    format: 'layers',
    size: 'small',
    modelFile: 'model.json',
    maxSequenceLength: MAX_SEQUENCE_LENGTH,
    tokenizer: { kind: 'vocab', file: 'vocab.json' },
    labels: INTENTS,
    inputs: [{ name: 'input_ids', feed: 'input_ids', dtype: 'int32' }],
    output: { kind: 'probabilities' },
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const metrics = {
    epochs,
    seed,
    parameters: model.countParams(),
    vocabSize: vocab.size,
    train: train.length,
    test: test.length,
    testAccuracy,
    trainSeconds: (performance.now() - started) / 1000,
    backend: tf.getBackend(),
  };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  say(JSON.stringify(metrics));
}

await main();
