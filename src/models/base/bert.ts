/** A BERT-base-shaped encoder classifier (random weights from a seed): compute shape, not accuracy. */
import type * as tfTypes from '@tensorflow/tfjs';
import type { WeightSpec } from './weights-store.js';
import { attend, dense, gelu, layerNorm, mergeHeads, splitHeads } from './ops.js';

type TF = typeof tfTypes;
type T = tfTypes.Tensor;

export interface EncoderConfig {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffDim: number;
  readonly vocabSize: number;
  readonly maxSequenceLength: number;
  readonly labels: number;
}

export const BERT_BASE: EncoderConfig = {
  layers: 12,
  hidden: 768,
  heads: 12,
  ffDim: 3072,
  vocabSize: 30522,
  maxSequenceLength: 128,
  labels: 10,
};

export function encoderSpecs(c: EncoderConfig): WeightSpec[] {
  const specs: WeightSpec[] = [
    { name: 'tok', shape: [c.vocabSize, c.hidden], init: 'normal' },
    { name: 'pos', shape: [c.maxSequenceLength, c.hidden], init: 'normal' },
    { name: 'emb_ln_g', shape: [c.hidden], init: 'ones' },
    { name: 'emb_ln_b', shape: [c.hidden], init: 'zeros' },
  ];
  for (let l = 0; l < c.layers; l++) {
    specs.push(
      { name: `l${l}_qkv_w`, shape: [c.hidden, 3 * c.hidden], init: 'normal' },
      { name: `l${l}_qkv_b`, shape: [3 * c.hidden], init: 'zeros' },
      { name: `l${l}_o_w`, shape: [c.hidden, c.hidden], init: 'normal' },
      { name: `l${l}_o_b`, shape: [c.hidden], init: 'zeros' },
      { name: `l${l}_ln1_g`, shape: [c.hidden], init: 'ones' },
      { name: `l${l}_ln1_b`, shape: [c.hidden], init: 'zeros' },
      { name: `l${l}_ff1_w`, shape: [c.hidden, c.ffDim], init: 'normal' },
      { name: `l${l}_ff1_b`, shape: [c.ffDim], init: 'zeros' },
      { name: `l${l}_ff2_w`, shape: [c.ffDim, c.hidden], init: 'normal' },
      { name: `l${l}_ff2_b`, shape: [c.hidden], init: 'zeros' },
      { name: `l${l}_ln2_g`, shape: [c.hidden], init: 'ones' },
      { name: `l${l}_ln2_b`, shape: [c.hidden], init: 'zeros' },
    );
  }
  specs.push(
    { name: 'pool_w', shape: [c.hidden, c.hidden], init: 'normal' },
    { name: 'pool_b', shape: [c.hidden], init: 'zeros' },
    { name: 'cls_w', shape: [c.hidden, c.labels], init: 'normal' },
    { name: 'cls_b', shape: [c.labels], init: 'zeros' },
  );
  return specs;
}

/** Class probabilities [B, labels] for ids [B, L] (0 = padding, masked out of attention). */
export function encoderForward(tf: TF, c: EncoderConfig, w: (name: string) => T, ids: T): T {
  const [batch, length] = ids.shape as [number, number];
  const padBias = tf.reshape(tf.mul(tf.cast(tf.equal(ids, 0), 'float32'), -1e9), [batch, 1, 1, length]);
  let x = tf.add(tf.gather(w('tok'), ids), tf.slice(w('pos'), [0, 0], [length, c.hidden]));
  x = layerNorm(tf, x, w('emb_ln_g'), w('emb_ln_b'));
  for (let l = 0; l < c.layers; l++) {
    const [q, k, v] = tf.split(dense(tf, x, w(`l${l}_qkv_w`), w(`l${l}_qkv_b`)), 3, 2).map((t) => splitHeads(tf, t, c.heads));
    const attended = dense(tf, mergeHeads(tf, attend(tf, q!, k!, v!, padBias)), w(`l${l}_o_w`), w(`l${l}_o_b`));
    x = layerNorm(tf, tf.add(x, attended), w(`l${l}_ln1_g`), w(`l${l}_ln1_b`));
    const ff = dense(tf, gelu(tf, dense(tf, x, w(`l${l}_ff1_w`), w(`l${l}_ff1_b`))), w(`l${l}_ff2_w`), w(`l${l}_ff2_b`));
    x = layerNorm(tf, tf.add(x, ff), w(`l${l}_ln2_g`), w(`l${l}_ln2_b`));
  }
  const cls = tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, c.hidden]), [batch, c.hidden]);
  const pooled = tf.tanh(dense(tf, cls, w('pool_w'), w('pool_b')));
  return tf.softmax(dense(tf, pooled, w('cls_w'), w('cls_b')));
}
