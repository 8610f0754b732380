/**
 * Builds the user-model examples in test/fixtures/models/: a tiny sentiment classifier with a
 * Hugging Face WordPiece tokenizer.json, saved as a TF.js layers model and (same weights) as a
 * hand-written TF.js graph model. Usage: node dist/models/train/make-user-model-fixtures.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Tokenizer } from '@huggingface/tokenizers';
import { fsSaveHandler } from '../fs-io.js';
import { REPO_ROOT } from './common.js';
import { say } from './say.js';

const LENGTH = 16;
const WORDS = [
  'great',
  'good',
  'love',
  'excellent',
  'happy',
  'nice',
  'bad',
  'awful',
  'hate',
  'terrible',
  'sad',
  'poor',
  'the',
  'movie',
  'food',
  'service',
  'was',
  'is',
  'i',
  'it',
  'really',
  'very',
  'this',
  'day',
];
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
const POSITIVE = ['great', 'good', 'love', 'excellent', 'happy', 'nice'];
const NEGATIVE = ['bad', 'awful', 'hate', 'terrible', 'sad', 'poor'];
const SUBJECTS = ['the movie', 'the food', 'the service', 'this day', 'it'];

function tokenizerJson(): object {
  const vocab = Object.fromEntries([...SPECIALS, ...WORDS, '##s', '##ly'].map((t, i) => [t, i]));
  return {
    version: '1.0',
    truncation: { direction: 'Right', max_length: LENGTH, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

function padded(ids: number[]): number[] {
  return [...ids.slice(0, LENGTH), ...new Array<number>(Math.max(0, LENGTH - ids.length)).fill(0)];
}

/** Graph-model JSON: ids -> GatherV2(embedding) -> Mean over positions -> MatMul -> BiasAdd -> Softmax. */
function graphTopology(vocabSize: number, dim: number): object {
  const float = { type: 'DT_FLOAT' };
  const int = { type: 'DT_INT32' };
  const constNode = (name: string, dtype: object, dims: number[]) => ({
    name,
    op: 'Const',
    attr: {
      dtype,
      value: { tensor: { dtype: (dtype as { type: string }).type, tensorShape: { dim: dims.map((size) => ({ size: String(size) })) } } },
    },
  });
  return {
    node: [
      { name: 'input_ids', op: 'Placeholder', attr: { dtype: int, shape: { shape: { dim: [{ size: '-1' }, { size: String(LENGTH) }] } } } },
      constNode('embedding', float, [vocabSize, dim]),
      constNode('gather_axis', int, []),
      constNode('mean_axis', int, []),
      constNode('kernel', float, [dim, 2]),
      constNode('bias', float, [2]),
      {
        name: 'embedded',
        op: 'GatherV2',
        input: ['embedding', 'input_ids', 'gather_axis'],
        attr: { Tparams: float, Tindices: int, Taxis: int, batch_dims: { i: '0' } },
      },
      { name: 'pooled', op: 'Mean', input: ['embedded', 'mean_axis'], attr: { T: float, Tidx: int, keep_dims: { b: false } } },
      {
        name: 'logits',
        op: 'MatMul',
        input: ['pooled', 'kernel'],
        attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } },
      },
      { name: 'biased', op: 'BiasAdd', input: ['logits', 'bias'], attr: { T: float } },
      { name: 'probs', op: 'Softmax', input: ['biased'], attr: { T: float } },
    ],
    library: {},
    versions: { producer: 1 },
  };
}

async function main(): Promise<void> {
  await tf.setBackend('cpu'); // fit needs the gather gradient, which wasm lacks
  const json = tokenizerJson();
  const tokenizer = new Tokenizer(json, {});
  const texts: string[] = [];
  const labels: number[] = [];
  for (const subject of SUBJECTS) {
    for (const [label, words] of [
      [0, NEGATIVE],
      [1, POSITIVE],
    ] as const) {
      for (const w of words) {
        texts.push(`${subject} was really ${w}`);
        labels.push(label);
      }
    }
  }
  const vocabSize = SPECIALS.length + WORDS.length + 2;
  const dim = 8;
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({
        inputDim: vocabSize,
        outputDim: dim,
        inputLength: LENGTH,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 3 }),
        name: 'embedding',
      }),
      tf.layers.globalAveragePooling1d({ name: 'pool' }),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }), name: 'logits' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: tf.losses.softmaxCrossEntropy });
  const x = tf.tensor2d(
    texts.map((t) => padded(tokenizer.encode(t).ids)),
    [texts.length, LENGTH],
    'int32',
  );
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
  await model.fit(x, y, { epochs: 60, batchSize: 16, shuffle: false, verbose: 0 });

  const root = join(REPO_ROOT, 'test/fixtures/models');
  const layersDir = join(root, 'sentiment-layers');
  const graphDir = join(root, 'sentiment-graph');
  for (const dir of [layersDir, graphDir]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json, null, 1));
  }
  await model.save(fsSaveHandler(layersDir));
  const common = {
    version: '1.0.0',
    task: 'classify',
    modelFile: 'model.json',
    maxSequenceLength: LENGTH,
    tokenizer: { kind: 'huggingface', file: 'tokenizer.json' },
    labels: ['negative', 'positive'],
  };
  writeFileSync(
    join(layersDir, 'manifest.json'),
    JSON.stringify(
      {
        name: 'sentiment-layers',
        ...common,
        format: 'layers',
        inputs: [{ name: 'embedding_input', feed: 'input_ids', dtype: 'float32' }],
        output: { kind: 'logits' },
      },
      null,
      2,
    ) + '\n',
  );

  const [embedding, kernel, bias] = model.getWeights();
  const weights: [string, tf.Tensor][] = [
    ['embedding', embedding!],
    ['gather_axis', tf.scalar(0, 'int32')],
    ['mean_axis', tf.scalar(1, 'int32')],
    ['kernel', kernel!],
    ['bias', bias!],
  ];
  const encoded = await tf.io.encodeWeights(weights.map(([name, tensor]) => ({ name, tensor })));
  await fsSaveHandler(graphDir).save!({
    modelTopology: graphTopology(vocabSize, dim),
    format: 'graph-model',
    generatedBy: 'pipebench make-user-model-fixtures',
    convertedBy: null,
    weightSpecs: encoded.specs,
    weightData: encoded.data,
  });
  writeFileSync(
    join(graphDir, 'manifest.json'),
    JSON.stringify(
      {
        name: 'sentiment-graph',
        ...common,
        format: 'graph',
        inputs: [{ name: 'input_ids', feed: 'input_ids', dtype: 'int32' }],
        output: { name: 'probs', kind: 'probabilities' },
      },
      null,
      2,
    ) + '\n',
  );
  say(`wrote ${layersDir} and ${graphDir}`);
}

await main();
