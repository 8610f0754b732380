/**
 * manifest.json of a model folder (models/README.md documents it). Validated on load; every error
 * names the file and the field.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { formatFieldPath } from '../field-path.js';
import { readJsonFile } from './fs-io.js';

const tokenizerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vocab'), file: z.string().min(1) }),
  z.object({ kind: z.literal('huggingface'), file: z.string().min(1), configFile: z.string().min(1).optional() }),
]);

/** What each model input is fed with, from the tokenizer's output. */
export const FEEDS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

const common = {
  name: z.string().min(1),
  version: z.string().min(1).default('0.0.0'),
  size: z.string().min(1).default('custom'),
  modelFile: z.string().min(1).default('model.json'),
  maxSequenceLength: z.number().int().min(2).max(4096),
  tokenizer: tokenizerSchema,
};

const classifySchema = z.object({
  ...common,
  task: z.literal('classify'),
  format: z.enum(['layers', 'graph']),
  labels: z.array(z.string().min(1)).min(2),
  inputs: z.array(z.object({ name: z.string().min(1), feed: z.enum(FEEDS), dtype: z.enum(['int32', 'float32']).default('int32') })).min(1),
  output: z.object({ name: z.string().min(1).optional(), kind: z.enum(['probabilities', 'logits']) }),
});

const generateSchema = z.object({
  ...common,
  task: z.literal('generate'),
  format: z.literal('layers'),
  architecture: z.literal('gru-seq2seq'),
  outputVocabFile: z.string().min(1),
});

const manifestSchema = z.discriminatedUnion('task', [classifySchema, generateSchema]);

export type ClassifyManifest = z.infer<typeof classifySchema>;
export type GenerateManifest = z.infer<typeof generateSchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type TokenizerRef = z.infer<typeof tokenizerSchema>;

export const MANIFEST_FILE = 'manifest.json';

/** What each task needs beyond the common fields, for the message when `task` names the wrong one. */
const TASK_NEEDS = {
  classify: 'labels, inputs and output',
  generate: 'format "layers", architecture "gru-seq2seq" and outputVocabFile',
} as const satisfies Record<Manifest['task'], string>;

const TASK_SCHEMAS = { classify: classifySchema, generate: generateSchema } as const satisfies Record<Manifest['task'], z.ZodType>;

export function parseManifest(path: string, value: unknown): Manifest {
  const task = (value as { task?: unknown } | null)?.task;
  if (typeof value === 'object' && value !== null && task !== 'classify' && task !== 'generate') {
    throw new InputError(`${path}: task`, `expected "classify" or "generate", got ${JSON.stringify(task)}`);
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    // A manifest that is right for the other task has the wrong `task`, not a wrong `format`.
    const other = task === 'classify' ? 'generate' : 'classify';
    if ((task === 'classify' || task === 'generate') && TASK_SCHEMAS[other].safeParse({ ...(value as object), task: other }).success) {
      throw new InputError(
        `${path}: task`,
        `expected "${other}" (the other fields describe a ${other} model; a ${task} model needs ${TASK_NEEDS[task]}), got "${task}"`,
      );
    }
    const issue = result.error.issues[0]!;
    throw new InputError(`${path}: ${formatFieldPath(issue.path)}`, issue.message);
  }
  return result.data;
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  return parseManifest(path, readJsonFile(path));
}
