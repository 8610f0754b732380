/**
 * What the engine needs from a model, whatever its format (built-in, a user's layers/graph model,
 * a generated `base` shape). Runtimes are created inside the worker that owns the TF.js backend.
 */
import type { ModelInfo } from '../core/model-info.js';
import type { Technique } from './taxonomy.js';

export interface ClassifyOutput {
  readonly label: string;
  readonly confidence: number;
}

export interface GenerateInput {
  readonly text: string;
  readonly intent: string;
  readonly techniques: readonly Technique[];
}

export interface GenerateOutput {
  readonly text: string;
  readonly tokenCount: number;
}

export interface GenerateOptions {
  readonly maxNewTokens: number;
  /**
   * Called after step `step` (0-based) has its tokens on the host (`await data()` done), so the
   * engine can stamp time to first token and inter-token latency without knowing the model.
   */
  readonly onStep?: (step: number) => void;
}

export interface ClassifierRuntime {
  readonly task: 'classify';
  readonly info: ModelInfo;
  /** Tokenize, predict and sync to host for exactly `texts.length` items (one model call). */
  classify(texts: readonly string[]): Promise<ClassifyOutput[]>;
  dispose(): void;
}

export interface GeneratorRuntime {
  readonly task: 'generate';
  readonly info: ModelInfo;
  /** Batched greedy decoding, one model step per token for the whole batch. */
  generate(inputs: readonly GenerateInput[], options: GenerateOptions): Promise<GenerateOutput[]>;
  dispose(): void;
}

export type ModelRuntime = ClassifierRuntime | GeneratorRuntime;

/** Where a worker finds a model: a folder with manifest.json, or a built-in by name and size. */
export type ModelSpec =
  | { readonly kind: 'dir'; readonly dir: string }
  | {
      readonly kind: 'builtin';
      readonly name: 'intent-classifier' | 'prompt-generator';
      readonly size: 'small' | 'base';
      /** Where `base` shapes are built from their seed on first use. */
      readonly cacheDir: string;
    };
