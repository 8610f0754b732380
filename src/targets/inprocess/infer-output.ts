/**
 * What infer() returns besides the timing: the model's answer per text, shaped per stage.
 * Complexity is not a model output here (the classifier predicts the intent only): a word-count
 * rule stands in for it, so the same text always gets the same level.
 */
import { chooseTechniques } from '../../models/techniques.js';
import type { Complexity, Technique } from '../../models/taxonomy.js';
import type { ItemResult } from '../../core/item-result.js';
import type { Stage } from '../../core/stage.js';
import type { PendingItem } from './pending-item.js';

export type InferOutput =
  | {
      readonly kind: 'classify';
      readonly intent: string;
      readonly confidence: number;
      readonly complexity: Complexity;
      readonly techniques: readonly Technique[];
    }
  | {
      readonly kind: 'generate';
      readonly text: string;
      readonly tokenCount: number;
      /** The condition the generator ran with. */
      readonly intent: string;
      readonly techniques: readonly Technique[];
    }
  | {
      readonly kind: 'pipeline';
      readonly text: string;
      readonly tokenCount: number;
      readonly intent: string;
      readonly confidence: number;
      readonly complexity: Complexity;
      readonly techniques: readonly Technique[];
    };

/** `output` is absent exactly when the item failed (result.ok false). */
export interface InferOutcome {
  readonly result: ItemResult;
  readonly output?: InferOutput;
}

export interface InferOptions {
  /** Streaming: after each decode step, the new text per text of the call ('' where none). */
  readonly onTokens?: (pieces: readonly string[], atMs: number) => void;
  /** Generate stage only: the intent and techniques per text (default: derived from the text). */
  readonly conditions?: readonly { readonly intent: string; readonly techniques: readonly Technique[] }[];
}

const SIMPLE_MAX_WORDS = 8;
const MODERATE_MAX_WORDS = 20;

export function complexityOf(text: string): Complexity {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '').length;
  if (words <= SIMPLE_MAX_WORDS) return 'simple';
  return words <= MODERATE_MAX_WORDS ? 'moderate' : 'complex';
}

export function inferOutcome(stage: Stage, item: PendingItem, result: ItemResult): InferOutcome {
  if (!result.ok) return { result };
  const { classified, generated } = item;
  if (stage === 'classify') {
    if (!classified) return { result };
    const complexity = complexityOf(item.text);
    const intent = classified.label;
    return {
      result,
      output: { kind: 'classify', intent, confidence: classified.confidence, complexity, techniques: chooseTechniques(intent, complexity) },
    };
  }
  if (!generated) return { result };
  if (stage === 'generate') {
    return {
      result,
      output: {
        kind: 'generate',
        text: generated.text,
        tokenCount: generated.tokenCount,
        intent: item.intent,
        techniques: item.techniques,
      },
    };
  }
  return {
    result,
    output: {
      kind: 'pipeline',
      text: generated.text,
      tokenCount: generated.tokenCount,
      intent: item.intent,
      confidence: classified?.confidence ?? 0,
      complexity: complexityOf(item.text),
      techniques: item.techniques,
    },
  };
}
