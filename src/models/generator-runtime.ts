/**
 * Batched greedy decoding for the built-in GRU generator: the encoder part of the saved graph
 * gives the initial state, then one fused GRU step per token for the whole batch.
 * Decoding always runs maxNewTokens steps (the engine times every step); the text ends at the
 * first [EOS], and tokenCount is the number of steps decoded.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { INTENTS } from './taxonomy.js';
import type { GenerateInput, GenerateOptions, GenerateOutput, GeneratorRuntime } from './types.js';
import type { ModelInfo } from '../core/model-info.js';
import { GEN_LAYERS, techniqueVector } from './generator-arch.js';
import { CLS_ID, type WordVocab } from './vocab.js';

type TF = typeof tfTypes;

/**
 * GenerateOptions plus the streaming hook `pipebench serve` needs. GenerateOptions is a shared
 * contract, so the hook lives here: a runtime that does not know it simply never calls it.
 */
export interface StreamingGenerateOptions extends GenerateOptions {
  /**
   * After step `step`: its token id per row (already on the host) and each row's text so far.
   * Decoding every row every step costs time, so only a batch with a streaming item passes it.
   */
  readonly onStepTokens?: (step: number, tokenIds: ArrayLike<number>, rowTexts: readonly string[]) => void;
}

interface StepWeights {
  readonly embedding: tfTypes.Tensor2D;
  readonly tokenKernel: tfTypes.Tensor2D; // input-kernel rows of the token embedding
  readonly conditionKernel: tfTypes.Tensor2D; // rows of the per-step condition (constant per call)
  readonly bias: tfTypes.Tensor1D;
  readonly recurrentGates: tfTypes.Tensor2D; // update and reset columns of the recurrent kernel
  readonly recurrentCandidate: tfTypes.Tensor2D;
  readonly outKernel: tfTypes.Tensor2D;
  readonly outBias: tfTypes.Tensor1D;
}

function stepWeights(tf: TF, model: tfTypes.LayersModel): StepWeights {
  const [embedding] = model.getLayer(GEN_LAYERS.decoderEmbedding).getWeights() as [tfTypes.Tensor2D];
  const [kernel, recurrent, bias] = model.getLayer(GEN_LAYERS.gru).getWeights() as [tfTypes.Tensor2D, tfTypes.Tensor2D, tfTypes.Tensor1D];
  const [outKernel, outBias] = model.getLayer(GEN_LAYERS.output).getWeights() as [tfTypes.Tensor2D, tfTypes.Tensor1D];
  const units = recurrent.shape[0];
  const tokenDim = embedding.shape[1];
  return {
    embedding,
    tokenKernel: tf.slice(kernel, [0, 0], [tokenDim, 3 * units]),
    conditionKernel: tf.slice(kernel, [tokenDim, 0], [kernel.shape[0] - tokenDim, 3 * units]),
    bias,
    recurrentGates: tf.slice(recurrent, [0, 0], [units, 2 * units]),
    recurrentCandidate: tf.slice(recurrent, [0, 2 * units], [units, units]),
    outKernel,
    outBias,
  };
}

/**
 * One GRU step (Keras/TF.js GRU with reset_after=false) and the greedy next token.
 * `conditionInput` is condition @ conditionKernel + bias, computed once per call.
 */
function step(
  tf: TF,
  w: StepWeights,
  conditionInput: tfTypes.Tensor2D,
  ids: tfTypes.Tensor1D,
  h: tfTypes.Tensor2D,
): [tfTypes.Tensor1D, tfTypes.Tensor2D] {
  return tf.tidy(() => {
    const x = tf.add(tf.matMul(tf.gather(w.embedding, ids), w.tokenKernel), conditionInput);
    const [xz, xr, xh] = tf.split(x, 3, 1) as [tfTypes.Tensor2D, tfTypes.Tensor2D, tfTypes.Tensor2D];
    const [hz, hr] = tf.split(tf.matMul(h, w.recurrentGates), 2, 1) as [tfTypes.Tensor2D, tfTypes.Tensor2D];
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const candidate = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), w.recurrentCandidate)));
    const next = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate)) as tfTypes.Tensor2D;
    const logits = tf.add(tf.matMul(next, w.outKernel), w.outBias);
    return [tf.cast(tf.argMax(logits, 1), 'int32') as tfTypes.Tensor1D, next];
  });
}

export function intentIndex(intent: string): number {
  const i = (INTENTS as readonly string[]).indexOf(intent);
  return i >= 0 ? i : INTENTS.indexOf('conversation');
}

export function generatorRuntime(
  tf: TF,
  model: tfTypes.LayersModel,
  inputVocab: WordVocab,
  outputVocab: WordVocab,
  info: ModelInfo,
): GeneratorRuntime {
  const encoder = tf.model({
    inputs: model.inputs.slice(0, 3),
    outputs: [GEN_LAYERS.initState, GEN_LAYERS.stepCondition].map((n) => model.getLayer(n).output as tfTypes.SymbolicTensor),
  });
  const weights = stepWeights(tf, model);

  /** The decoder's initial state and the per-step condition input, from the encoder. */
  const encode = (inputs: readonly GenerateInput[]): [tfTypes.Tensor2D, tfTypes.Tensor2D] =>
    tf.tidy(() => {
      const len = info.maxSequenceLength;
      const prompt = tf.tensor2d(
        inputs.flatMap((i) => inputVocab.encodeFixed(i.text, len)),
        [inputs.length, len],
        'int32',
      );
      const intent = tf.tensor2d(
        inputs.map((i) => intentIndex(i.intent)),
        [inputs.length, 1],
        'int32',
      );
      const techniques = tf.tensor2d(inputs.map((i) => techniqueVector(i.techniques)));
      const [h0, condition] = encoder.predict([prompt, intent, techniques], { batchSize: inputs.length }) as tfTypes.Tensor2D[];
      return [h0!, tf.add(tf.matMul(condition!, weights.conditionKernel), weights.bias)];
    });

  return {
    task: 'generate',
    info,
    async generate(inputs: readonly GenerateInput[], options: StreamingGenerateOptions): Promise<GenerateOutput[]> {
      if (inputs.length === 0) return [];
      const rows: number[][] = inputs.map(() => []);
      const encoded = encode(inputs);
      const conditionInput = encoded[1];
      let h = encoded[0];
      let ids = tf.fill([inputs.length], CLS_ID, 'int32') as tfTypes.Tensor1D;
      try {
        for (let s = 0; s < options.maxNewTokens; s++) {
          const [nextIds, nextH] = step(tf, weights, conditionInput, ids, h);
          ids.dispose();
          h.dispose();
          ids = nextIds;
          h = nextH;
          const host = await ids.data();
          host.forEach((id, r) => rows[r]!.push(id));
          options.onStep?.(s);
          options.onStepTokens?.(
            s,
            host,
            rows.map((row) => outputVocab.decode(row)),
          );
        }
      } finally {
        ids.dispose();
        h.dispose();
        conditionInput.dispose();
      }
      return rows.map((row) => ({ text: outputVocab.decode(row), tokenCount: row.length }));
    },
    dispose(): void {
      // The other step weights are the model's own variables, freed with it.
      weights.tokenKernel.dispose();
      weights.conditionKernel.dispose();
      weights.recurrentGates.dispose();
      weights.recurrentCandidate.dispose();
      model.dispose();
    },
  };
}
