/**
 * Custom TF.js layers of the built-in models. Each has `static className` and is registered, so a
 * saved model.json loads back through tf.loadLayersModel.
 */
import * as tf from '@tensorflow/tfjs';

type Kwargs = Record<string, unknown>;
type Shape = (number | null)[];

/**
 * Token embedding with optional learned positions. Training looks rows up with a one-hot matmul
 * because the wasm backend lacks UnsortedSegmentSum (the gradient of gather); inference gathers.
 */
export class TokenEmbedding extends tf.layers.Layer {
  static className = 'TokenEmbedding';
  readonly vocabSize: number;
  readonly dim: number;
  readonly maxPositions: number;
  private table!: tf.LayerVariable;
  private positions: tf.LayerVariable | undefined;

  constructor(config: { vocabSize: number; dim: number; maxPositions?: number; name?: string }) {
    super(config);
    this.vocabSize = config.vocabSize;
    this.dim = config.dim;
    this.maxPositions = config.maxPositions ?? 0;
  }

  override build(): void {
    const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: 11 });
    this.table = this.addWeight('table', [this.vocabSize, this.dim], 'float32', init);
    if (this.maxPositions > 0) {
      this.positions = this.addWeight('positions', [this.maxPositions, this.dim], 'float32', init);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const ids = tf.cast(Array.isArray(inputs) ? inputs[0]! : inputs, 'int32');
      const [batch, length] = ids.shape as [number, number];
      const table = this.table.read();
      let x: tf.Tensor;
      if (kwargs['training'] === true) {
        const flat = tf.oneHot(tf.reshape(ids, [-1]), this.vocabSize).asType('float32');
        x = tf.reshape(tf.matMul(flat, table), [batch, length, this.dim]);
      } else {
        x = tf.gather(table, ids);
      }
      if (this.positions !== undefined) {
        x = tf.add(x, tf.slice(this.positions.read(), [0, 0], [length, this.dim]));
      }
      return x;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), vocabSize: this.vocabSize, dim: this.dim, maxPositions: this.maxPositions };
  }
}

/** Multi-head self-attention over `[x, tokenIds]`; keys whose id is 0 ([PAD]) are masked out. */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'MultiHeadSelfAttention';
  readonly numHeads: number;
  private weights4: tf.LayerVariable[] = [];
  private biases4: tf.LayerVariable[] = [];

  constructor(config: { numHeads: number; name?: string }) {
    super(config);
    this.numHeads = config.numHeads;
  }

  override build(inputShape: Shape | Shape[]): void {
    const xShape = (inputShape as Shape[])[0]!;
    const dim = xShape[2]!;
    if (dim % this.numHeads !== 0) throw new Error(`model dim ${dim} is not divisible by ${this.numHeads} heads`);
    const init = tf.initializers.glorotUniform({ seed: 7 });
    for (const name of ['query', 'key', 'value', 'output']) {
      this.weights4.push(this.addWeight(`${name}_kernel`, [dim, dim], 'float32', init));
      this.biases4.push(this.addWeight(`${name}_bias`, [dim], 'float32', tf.initializers.zeros()));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = inputs as tf.Tensor[];
      const [batch, length, dim] = x!.shape as [number, number, number];
      const headDim = dim / this.numHeads;
      const flat = tf.reshape(x!, [-1, dim]);
      const project = (i: number): tf.Tensor => tf.add(tf.matMul(flat, this.weights4[i]!.read()), this.biases4[i]!.read());
      const heads = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, [batch, length, this.numHeads, headDim]), [0, 2, 1, 3]);
      const q = heads(project(0));
      const k = heads(project(1));
      const v = heads(project(2));
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(headDim));
      const padding = tf.mul(tf.cast(tf.equal(ids!, 0), 'float32'), -1e9);
      const probs = tf.softmax(tf.add(scores, tf.reshape(padding, [batch, 1, 1, length])));
      const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [-1, dim]);
      const out = tf.add(tf.matMul(context, this.weights4[3]!.read()), this.biases4[3]!.read());
      return tf.reshape(out, [batch, length, dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads };
  }
}

/** The first position's vector ([CLS]) as the sequence summary. */
export class FirstTokenPool extends tf.layers.Layer {
  static className = 'FirstTokenPool';
  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0]!, inputShape[2]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [batch, , dim] = x.shape as [number, number, number];
      return tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, dim]), [batch, dim]);
    });
  }
}

/** Mean of `[x, tokenIds]` over the positions whose id is not 0 ([PAD]). */
export class MaskedMeanPool extends tf.layers.Layer {
  static className = 'MaskedMeanPool';
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const x = (inputShape as Shape[])[0]!;
    return [x[0]!, x[2]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = inputs as tf.Tensor[];
      const mask = tf.expandDims(tf.cast(tf.notEqual(ids!, 0), 'float32'), 2);
      const total = tf.sum(tf.mul(x!, mask), 1);
      return tf.div(total, tf.maximum(tf.sum(mask, 1), 1));
    });
  }
}

/**
 * Layer normalization over the last axis. tf.layers.layerNormalization tiles gamma and beta to
 * the input's shape on every call, which was most of the classifier's time on wasm.
 */
export class LayerNorm extends tf.layers.Layer {
  static className = 'LayerNorm';
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  override build(inputShape: Shape): void {
    const dim = inputShape[inputShape.length - 1]!;
    this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
      return tf.add(tf.mul(normed, this.gamma.read()), this.beta.read());
    });
  }
}

/** `[x [B, T, E], c [B, C]]` -> `[B, T, E + C]`: the same conditioning vector at every step. */
export class ConcatEveryStep extends tf.layers.Layer {
  static className = 'ConcatEveryStep';
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x, c] = inputShape as Shape[];
    return [x![0]!, x![1]!, x![2]! + c![1]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, c] = inputs as tf.Tensor[];
      const steps = x!.shape[1]!;
      return tf.concat([x!, tf.tile(tf.expandDims(c!, 1), [1, steps, 1])], 2);
    });
  }
}

for (const layer of [TokenEmbedding, MultiHeadSelfAttention, FirstTokenPool, MaskedMeanPool, LayerNorm, ConcatEveryStep]) {
  tf.serialization.registerClass(layer);
}
