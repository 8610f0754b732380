/** The built-in intent classifier: a small transformer encoder over word ids, [CLS] pooled. */
import * as tf from '@tensorflow/tfjs';
import { FirstTokenPool, LayerNorm, MultiHeadSelfAttention, TokenEmbedding } from './layers.js';

export interface ClassifierShape {
  readonly vocabSize: number;
  readonly maxSequenceLength: number;
  readonly dim: number;
  readonly heads: number;
  readonly ffDim: number;
  readonly blocks: number;
  readonly labels: number;
  readonly dropout: number;
}

export const SMALL_CLASSIFIER = { dim: 160, heads: 4, ffDim: 640, blocks: 2, dropout: 0.1 } as const;

export function buildClassifier(shape: ClassifierShape): tf.LayersModel {
  const ids = tf.input({ shape: [null], dtype: 'int32', name: 'input_ids' });
  let x = new TokenEmbedding({
    vocabSize: shape.vocabSize,
    dim: shape.dim,
    maxPositions: shape.maxSequenceLength,
    name: 'embedding',
  }).apply(ids) as tf.SymbolicTensor;
  for (let b = 0; b < shape.blocks; b++) {
    const attended = new MultiHeadSelfAttention({ numHeads: shape.heads, name: `block${b}_attention` }).apply([x, ids]);
    const dropped = tf.layers.dropout({ rate: shape.dropout }).apply(attended);
    x = new LayerNorm({ name: `block${b}_norm1` }).apply(tf.layers.add().apply([x, dropped as tf.SymbolicTensor])) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: shape.ffDim, activation: 'relu', name: `block${b}_ff1` }).apply(x);
    const ff = tf.layers.dense({ units: shape.dim, name: `block${b}_ff2` }).apply(hidden);
    x = new LayerNorm({ name: `block${b}_norm2` }).apply(tf.layers.add().apply([x, ff as tf.SymbolicTensor])) as tf.SymbolicTensor;
  }
  const pooled = new FirstTokenPool({ name: 'cls_pool' }).apply(x);
  const probs = tf.layers.dense({ units: shape.labels, activation: 'softmax', name: 'intent' }).apply(pooled);
  return tf.model({ inputs: ids, outputs: probs as tf.SymbolicTensor, name: 'intent_classifier' });
}
