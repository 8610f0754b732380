/**
 * A GPT-2-small-shaped decoder (random weights from a seed) with a KV cache: a prefill over the
 * prompt, then one position per step attending to the cached keys and values.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { WeightSpec } from './weights-store.js';
import { attend, dense, gelu, layerNorm, mergeHeads, splitHeads } from './ops.js';

type TF = typeof tfTypes;
type T = tfTypes.Tensor;

export interface DecoderConfig {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly promptLength: number;
}

export const GPT2_SMALL: DecoderConfig = {
  layers: 12,
  hidden: 768,
  heads: 12,
  vocabSize: 50257,
  maxPositions: 1024,
  promptLength: 32,
};

export function decoderSpecs(c: DecoderConfig): WeightSpec[] {
  const specs: WeightSpec[] = [
    { name: 'wte', shape: [c.vocabSize, c.hidden], init: 'normal' },
    { name: 'wpe', shape: [c.maxPositions, c.hidden], init: 'normal' },
  ];
  for (let l = 0; l < c.layers; l++) {
    specs.push(
      { name: `h${l}_ln1_g`, shape: [c.hidden], init: 'ones' },
      { name: `h${l}_ln1_b`, shape: [c.hidden], init: 'zeros' },
      { name: `h${l}_attn_w`, shape: [c.hidden, 3 * c.hidden], init: 'normal' },
      { name: `h${l}_attn_b`, shape: [3 * c.hidden], init: 'zeros' },
      { name: `h${l}_proj_w`, shape: [c.hidden, c.hidden], init: 'normal' },
      { name: `h${l}_proj_b`, shape: [c.hidden], init: 'zeros' },
      { name: `h${l}_ln2_g`, shape: [c.hidden], init: 'ones' },
      { name: `h${l}_ln2_b`, shape: [c.hidden], init: 'zeros' },
      { name: `h${l}_fc_w`, shape: [c.hidden, 4 * c.hidden], init: 'normal' },
      { name: `h${l}_fc_b`, shape: [4 * c.hidden], init: 'zeros' },
      { name: `h${l}_out_w`, shape: [4 * c.hidden, c.hidden], init: 'normal' },
      { name: `h${l}_out_b`, shape: [c.hidden], init: 'zeros' },
    );
  }
  specs.push({ name: 'lnf_g', shape: [c.hidden], init: 'ones' }, { name: 'lnf_b', shape: [c.hidden], init: 'zeros' });
  return specs;
}

export interface KvCache {
  readonly keys: T[];
  readonly values: T[];
}

/**
 * Runs positions [start, start + L) of x ids [B, L] through the stack, appending to `cache`
 * (old cache tensors are disposed), and returns the greedy next ids [B] of the last position.
 * `bias` masks keys: [B, 1, L, start + L] additive (causal and padding).
 */
export function decoderForward(tf: TF, c: DecoderConfig, w: (name: string) => T, ids: T, start: number, bias: T, cache: KvCache): T {
  const [batch, length] = ids.shape as [number, number];
  let x = tf.add(tf.gather(w('wte'), ids), tf.slice(w('wpe'), [start, 0], [length, c.hidden]));
  for (let l = 0; l < c.layers; l++) {
    const h = layerNorm(tf, x, w(`h${l}_ln1_g`), w(`h${l}_ln1_b`));
    const [q, k, v] = tf.split(dense(tf, h, w(`h${l}_attn_w`), w(`h${l}_attn_b`)), 3, 2).map((t) => splitHeads(tf, t, c.heads));
    const oldK = cache.keys[l];
    const oldV = cache.values[l];
    const keys = tf.keep(oldK === undefined ? k! : tf.concat([oldK, k!], 2));
    const values = tf.keep(oldV === undefined ? v! : tf.concat([oldV, v!], 2));
    oldK?.dispose();
    oldV?.dispose();
    cache.keys[l] = keys;
    cache.values[l] = values;
    const attended = dense(tf, mergeHeads(tf, attend(tf, q!, keys, values, bias)), w(`h${l}_proj_w`), w(`h${l}_proj_b`));
    x = tf.add(x, attended);
    const h2 = layerNorm(tf, x, w(`h${l}_ln2_g`), w(`h${l}_ln2_b`));
    x = tf.add(x, dense(tf, gelu(tf, dense(tf, h2, w(`h${l}_fc_w`), w(`h${l}_fc_b`))), w(`h${l}_out_w`), w(`h${l}_out_b`)));
  }
  const last = tf.reshape(tf.slice(x, [0, length - 1, 0], [batch, 1, c.hidden]), [batch, c.hidden]);
  const logits = tf.matMul(layerNorm(tf, last, w('lnf_g'), w('lnf_b')), w('wte') as tfTypes.Tensor2D, false, true);
  return tf.cast(tf.argMax(logits, 1), 'int32');
}

/** Additive key bias for a prefill of `length` positions: causal, with left padding masked. */
export function prefillBias(tf: TF, padMask: T, length: number): T {
  const [batch] = padMask.shape as [number];
  const causal = tf.sub(1, tf.linalg.bandPart(tf.ones([length, length]), -1, 0));
  const pads = tf.reshape(tf.sub(1, tf.cast(padMask, 'float32')), [batch, 1, 1, length]);
  return tf.mul(tf.minimum(tf.add(tf.reshape(causal, [1, 1, length, length]), pads), 1), -1e9);
}
