/**
 * Trains the built-in prompt generator (teacher forcing) to write enhanced prompts and writes
 * models/prompt-generator/ (manifest.json, vocab.json, output-vocab.json, model.json, weights.bin,
 * metrics.json, samples.json).
 * Usage: node dist/models/train/train-generator.js [--epochs 3] [--seed 42] [--backend wasm] [--out dir]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../layers.js';
import { buildGenerator, SMALL_GENERATOR, techniqueVector } from '../generator-arch.js';
import { generatorRuntime } from '../generator-runtime.js';
import { fsSaveHandler } from '../fs-io.js';
import { COMPLEXITIES, INTENTS, type Technique } from '../taxonomy.js';
import { chooseTechniques } from '../techniques.js';
import { buildVocab, CLS_ID, EOS_ID, splitWords, WordVocab } from '../vocab.js';
import { enhancedText } from './enhanced-text.js';
import { mulberry32, pick, shuffle } from './rng.js';
import { say } from './say.js';
import { flag, readCorpusSplits, REPO_ROOT, useBackend, type Example } from './common.js';

const PROMPT_LENGTH = 64;
const TRAIN_PROMPT_LENGTH = 40;
const BATCH = 64;

interface Pair {
  readonly example: Example;
  readonly techniques: readonly Technique[];
  readonly target: readonly number[]; // word ids, then [EOS]
}

function batchTensors(inVocab: WordVocab, pairs: readonly Pair[]): tf.Tensor[] {
  const steps = Math.max(...pairs.map((p) => p.target.length));
  const decoderIds: number[] = [];
  const targets: number[] = [];
  for (const p of pairs) {
    const padded = [...p.target, ...new Array<number>(steps - p.target.length).fill(0)];
    decoderIds.push(CLS_ID, ...padded.slice(0, steps - 1));
    targets.push(...padded);
  }
  const n = pairs.length;
  return [
    tf.tensor2d(
      pairs.flatMap((p) => inVocab.encodeFixed(p.example.text, TRAIN_PROMPT_LENGTH)),
      [n, TRAIN_PROMPT_LENGTH],
      'int32',
    ),
    tf.tensor2d(
      pairs.map((p) => INTENTS.indexOf(p.example.intent)),
      [n, 1],
      'int32',
    ),
    tf.tensor2d(pairs.map((p) => techniqueVector(p.techniques))),
    tf.tensor2d(decoderIds, [n, steps], 'int32'),
    tf.tensor2d(targets, [n, steps], 'int32'),
  ];
}

async function main(): Promise<void> {
  await useBackend(flag('--backend', 'wasm'));
  const epochs = Number(flag('--epochs', '3'));
  const seed = Number(flag('--seed', '42'));
  const out = flag('--out', join(REPO_ROOT, 'models/prompt-generator'));
  const { train, test } = readCorpusSplits();
  const rand = mulberry32(seed);
  const withTechniques = (e: Example) => ({ example: e, techniques: chooseTechniques(e.intent, pick(rand, COMPLEXITIES)) });
  const trainSet = train.map(withTechniques);
  const texts = trainSet.map((p) => enhancedText(p.example.text, p.example.intent, p.techniques));
  const inVocabFile = buildVocab(
    train.map((e) => e.text),
    true,
    1,
    4000,
  );
  const outVocabFile = buildVocab(texts, false, 1, 4000);
  const inVocab = new WordVocab(inVocabFile);
  const outVocab = new WordVocab(outVocabFile);
  const pairs: Pair[] = trainSet.map((p, i) => ({ ...p, target: [...outVocab.wordIds(texts[i]!, 200), EOS_ID] }));
  const model = buildGenerator({
    ...SMALL_GENERATOR,
    inputVocabSize: inVocab.size,
    outputVocabSize: outVocab.size,
    intents: INTENTS.length,
  });
  const optimizer = tf.train.adam(3e-3);
  const started = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle(rand, [...pairs]);
    let lossSum = 0;
    let batches = 0;
    for (let i = 0; i < order.length; i += BATCH) {
      const [prompt, intent, techniques, decoderIds, targets] = batchTensors(inVocab, order.slice(i, i + BATCH));
      const loss = optimizer.minimize(() => {
        const logits = model.apply([prompt!, intent!, techniques!, decoderIds!], { training: true }) as tf.Tensor;
        const mask = tf.cast(tf.notEqual(targets!, 0), 'float32');
        const logp = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets as tf.Tensor2D, outVocab.size)), 2);
        return tf.div(tf.neg(tf.sum(tf.mul(logp, mask))), tf.sum(mask)) as tf.Scalar;
      }, true);
      lossSum += loss!.dataSync()[0]!;
      batches++;
      tf.dispose([prompt!, intent!, techniques!, decoderIds!, targets!, loss!]);
      if (batches % 10 === 0) say(`  batch ${batches} loss ${(lossSum / batches).toFixed(4)}`);
    }
    say(`epoch ${epoch + 1}/${epochs} loss ${(lossSum / batches).toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await model.save(fsSaveHandler(out));
  writeFileSync(join(out, 'vocab.json'), JSON.stringify(inVocabFile));
  writeFileSync(join(out, 'output-vocab.json'), JSON.stringify(outVocabFile));
  const manifest = {
    name: 'prompt-generator',
    version: '1.0.0',
    task: 'generate',
    format: 'layers',
    architecture: 'gru-seq2seq',
    size: 'small',
    modelFile: 'model.json',
    maxSequenceLength: PROMPT_LENGTH,
    tokenizer: { kind: 'vocab', file: 'vocab.json' },
    outputVocabFile: 'output-vocab.json',
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

  // Held-out check: greedy output vs the reference text, word for word.
  const info = {
    name: 'prompt-generator',
    task: 'generate' as const,
    version: '1.0.0',
    format: 'layers' as const,
    size: 'small',
    parameters: model.countParams(),
    maxSequenceLength: PROMPT_LENGTH,
    dir: out,
  };
  const runtime = generatorRuntime(tf, model, inVocab, outVocab, info);
  const checks = test.slice(0, 200).map(withTechniques);
  const outputs = await runtime.generate(
    checks.map((c) => ({ text: c.example.text, intent: c.example.intent, techniques: c.techniques })),
    { maxNewTokens: 96 },
  );
  let exact = 0;
  let wordMatch = 0;
  let words = 0;
  outputs.forEach((o, i) => {
    const reference = enhancedText(checks[i]!.example.text, checks[i]!.example.intent, checks[i]!.techniques);
    if (o.text === reference) exact++;
    const refWords = splitWords(reference, false);
    const gotWords = splitWords(o.text, false);
    refWords.forEach((w, j) => (wordMatch += gotWords[j] === w ? 1 : 0));
    words += refWords.length;
  });
  const samples = outputs.slice(0, 6).map((o, i) => ({
    prompt: checks[i]!.example.text,
    intent: checks[i]!.example.intent,
    techniques: checks[i]!.techniques,
    output: o.text,
  }));
  writeFileSync(join(out, 'samples.json'), JSON.stringify(samples, null, 2) + '\n');
  const metrics = {
    epochs,
    seed,
    parameters: model.countParams(),
    inputVocabSize: inVocab.size,
    outputVocabSize: outVocab.size,
    train: pairs.length,
    heldOutChecked: checks.length,
    heldOutExactMatch: exact / checks.length,
    heldOutWordAccuracy: wordMatch / words,
    trainSeconds: (performance.now() - started) / 1000,
    backend: tf.getBackend(),
  };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  say(JSON.stringify(metrics));
  say(JSON.stringify(samples, null, 2));
}

await main();
