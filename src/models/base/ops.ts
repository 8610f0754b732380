/** Transformer pieces shared by the `base` encoder and decoder, as plain TF.js ops. */
import type * as tfTypes from '@tensorflow/tfjs';

type TF = typeof tfTypes;
type T = tfTypes.Tensor;

export function layerNorm(tf: TF, x: T, gamma: T, beta: T): T {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/** tanh approximation of GELU (as in GPT-2 and BERT's TF code). */
export function gelu(tf: TF, x: T): T {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

export function dense(tf: TF, x: T, kernel: T, bias: T): T {
  const shape = x.shape;
  const out = tf.add(tf.matMul(tf.reshape(x, [-1, shape[shape.length - 1]!]), kernel as tfTypes.Tensor2D), bias);
  return tf.reshape(out, [...shape.slice(0, -1), kernel.shape[1]!]);
}

/** [B, L, H*D] -> [B, H, L, D] */
export function splitHeads(tf: TF, x: T, heads: number): T {
  const [b, l, d] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [b, l, heads, d / heads]), [0, 2, 1, 3]);
}

/** [B, H, L, D] -> [B, L, H*D] */
export function mergeHeads(tf: TF, x: T): T {
  const [b, h, l, d] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, l, h * d]);
}

/** softmax(q k^T / sqrt(d) + bias) v, `bias` broadcast to [B, H, Lq, Lk] (0 or -1e9). */
export function attend(tf: TF, q: T, k: T, v: T, bias: T | undefined): T {
  const d = q.shape[q.shape.length - 1]!;
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d));
  if (bias !== undefined) scores = tf.add(scores, bias);
  return tf.matMul(tf.softmax(scores), v);
}
