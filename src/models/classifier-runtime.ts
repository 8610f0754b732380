/** A ClassifierRuntime over any layers or graph model fed from a tokenizer (built-in or a user's). */
import type * as tfTypes from '@tensorflow/tfjs';
import type { ClassifierRuntime, ClassifyOutput } from './types.js';
import type { ModelInfo } from '../core/model-info.js';
import type { ClassifyManifest } from './manifest.js';
import type { EncodedBatch, PromptTokenizer } from './tokenizers.js';

type TF = typeof tfTypes;

export type ClassifierModel =
  { readonly kind: 'layers'; readonly model: tfTypes.LayersModel } | { readonly kind: 'graph'; readonly model: tfTypes.GraphModel };

type ClassifierIO = Pick<ClassifyManifest, 'inputs' | 'output' | 'labels' | 'maxSequenceLength'>;

const FEED_DATA = {
  input_ids: (b: EncodedBatch) => b.inputIds,
  attention_mask: (b: EncodedBatch) => b.attentionMask,
  token_type_ids: (b: EncodedBatch) => b.tokenTypeIds,
} as const satisfies Record<ClassifyManifest['inputs'][number]['feed'], (b: EncodedBatch) => Int32Array>;

/** The model call: an encoded batch in, class probabilities [batch, classes] out (inside the caller's tidy). */
export type ScoreBatch = (batch: EncodedBatch) => tfTypes.Tensor;

export function scoreBatch(tf: TF, model: ClassifierModel, io: Pick<ClassifierIO, 'inputs' | 'output'>): ScoreBatch {
  return (batch) => {
    const tensors = io.inputs.map((input) =>
      tf.tensor2d(FEED_DATA[input.feed](batch), [batch.batch, batch.length], 'int32').asType(input.dtype),
    );
    let out: tfTypes.Tensor | tfTypes.Tensor[];
    if (model.kind === 'layers') {
      out = model.model.predict(tensors.length === 1 ? tensors[0]! : tensors, { batchSize: batch.batch });
    } else {
      const named = Object.fromEntries(io.inputs.map((input, i) => [input.name, tensors[i]!]));
      out = io.output.name === undefined ? model.model.execute(named) : model.model.execute(named, io.output.name);
    }
    const first = Array.isArray(out) ? out[0]! : out;
    const scores = tf.reshape(first, [batch.batch, -1]);
    return io.output.kind === 'logits' ? tf.softmax(scores) : scores;
  };
}

/** `io.inputs` in the order a layers model takes them (classifier-signature.ts checks and orders them). */
export function classifierRuntime(
  tf: TF,
  model: ClassifierModel,
  tokenizer: PromptTokenizer,
  io: ClassifierIO,
  info: ModelInfo,
): ClassifierRuntime {
  const predict = scoreBatch(tf, model, io);

  return {
    task: 'classify',
    info,
    async classify(texts: readonly string[]): Promise<ClassifyOutput[]> {
      if (texts.length === 0) return [];
      const batch = tokenizer.encodeBatch(texts, io.maxSequenceLength);
      const [best, index] = tf.tidy(() => {
        const probs = predict(batch);
        return [tf.max(probs, 1), tf.argMax(probs, 1)];
      });
      try {
        const [confidence, labelIndex] = await Promise.all([best.data(), index.data()]);
        return texts.map((_, i) => ({
          label: io.labels[labelIndex[i]!] ?? `label_${labelIndex[i]}`,
          confidence: confidence[i]!,
        }));
      } finally {
        best.dispose();
        index.dispose();
      }
    },
    dispose(): void {
      model.model.dispose();
    },
  };
}
