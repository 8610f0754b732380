/**
 * The built-in prompt generator: a GRU decoder whose initial state comes from the prompt
 * (masked mean of word embeddings), the intent (embedding) and the techniques (multi-hot).
 * A projection of the same conditioning is also fed to the GRU at every step, next to the token
 * embedding, so the intent and techniques are not forgotten. The saved model is the
 * teacher-forcing graph; generator-runtime.ts decodes step by step
 * with the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { TECHNIQUES } from './taxonomy.js';
import { ConcatEveryStep, MaskedMeanPool, TokenEmbedding } from './layers.js';

export interface GeneratorShape {
  readonly inputVocabSize: number;
  readonly outputVocabSize: number;
  readonly intents: number;
  readonly promptDim: number;
  readonly intentDim: number;
  readonly tokenDim: number;
  readonly stepConditionDim: number;
  readonly units: number;
}

export const SMALL_GENERATOR = { promptDim: 64, intentDim: 32, tokenDim: 96, stepConditionDim: 64, units: 256 } as const;

/** Layer names the runtime looks up. */
export const GEN_LAYERS = {
  initState: 'init_state',
  stepCondition: 'step_condition',
  decoderEmbedding: 'decoder_embedding',
  gru: 'decoder_gru',
  output: 'next_token',
} as const;

export function buildGenerator(shape: GeneratorShape): tf.LayersModel {
  const promptIds = tf.input({ shape: [null], dtype: 'int32', name: 'prompt_ids' });
  const intentId = tf.input({ shape: [1], dtype: 'int32', name: 'intent_id' });
  const techniques = tf.input({ shape: [TECHNIQUES.length], name: 'techniques' });
  const decoderIds = tf.input({ shape: [null], dtype: 'int32', name: 'decoder_ids' });

  const promptEmb = new TokenEmbedding({ vocabSize: shape.inputVocabSize, dim: shape.promptDim, name: 'prompt_embedding' }).apply(
    promptIds,
  );
  const promptVec = new MaskedMeanPool({ name: 'prompt_pool' }).apply([promptEmb as tf.SymbolicTensor, promptIds]);
  const intentEmb = new TokenEmbedding({ vocabSize: shape.intents, dim: shape.intentDim, name: 'intent_embedding' }).apply(intentId);
  const intentVec = tf.layers.flatten().apply(intentEmb);
  const condition = tf.layers.concatenate().apply([promptVec, intentVec, techniques] as tf.SymbolicTensor[]);
  const h0 = tf.layers.dense({ units: shape.units, activation: 'tanh', name: GEN_LAYERS.initState }).apply(condition);

  const stepCondition = tf.layers
    .dense({ units: shape.stepConditionDim, activation: 'tanh', name: GEN_LAYERS.stepCondition })
    .apply(condition);
  const embedded = new TokenEmbedding({ vocabSize: shape.outputVocabSize, dim: shape.tokenDim, name: GEN_LAYERS.decoderEmbedding }).apply(
    decoderIds,
  );
  const tokens = new ConcatEveryStep({ name: 'decoder_input' }).apply([embedded, stepCondition] as tf.SymbolicTensor[]);
  const gru = tf.layers.gru({
    units: shape.units,
    returnSequences: true,
    recurrentActivation: 'sigmoid',
    recurrentInitializer: 'glorotUniform', // orthogonal warns (prints) on every load at this size
    name: GEN_LAYERS.gru,
  });
  const states = gru.apply(tokens, { initialState: [h0] });
  const logits = tf.layers.dense({ units: shape.outputVocabSize, name: GEN_LAYERS.output }).apply(states);
  return tf.model({
    inputs: [promptIds, intentId, techniques, decoderIds],
    outputs: logits as tf.SymbolicTensor,
    name: 'prompt_generator',
  });
}

export function techniqueVector(names: readonly string[]): number[] {
  return TECHNIQUES.map((t) => (names.includes(t) ? 1 : 0));
}
