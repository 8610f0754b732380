/**
 * A classifier's manifest checked against the model it describes, when the model loads: each
 * manifest input names an input the model has, every model input is fed, and there is one label
 * per output column. Without this a wrong name loads fine and then fails every item as model_error.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import type { ClassifierModel, ScoreBatch } from './classifier-runtime.js';
import type { ClassifyManifest } from './manifest.js';
import type { PromptTokenizer } from './tokenizers.js';

type TF = typeof tfTypes;
type ManifestInput = ClassifyManifest['inputs'][number];

/** The text of the one-item batch that measures the output width. */
const PROBE_TEXT = 'pipebench load check';

/**
 * Per model input, in the model's order, the names that address it: a layers model's input name
 * as saved (`name` gets a "_1" suffix when a process loads the model twice); a graph model's
 * signature key and its placeholder node's name (execute() takes either).
 */
function modelInputs(model: ClassifierModel): readonly (readonly string[])[] {
  if (model.kind === 'layers') return model.model.inputs.map((input) => [input.originalName ?? input.name]);
  const nodeNames = model.model.inputs.map((input) => input.name);
  return model.model.inputNodes.map((key, i) => [...new Set([key, nodeNames[i] ?? key])]);
}

/**
 * The manifest's inputs in the model's order (a layers model takes its inputs by position), after
 * checking that each one names a model input, once, and that no model input is left unfed.
 */
export function checkInputNames(manifestPath: string, model: ClassifierModel, inputs: readonly ManifestInput[]): ManifestInput[] {
  const accepted = modelInputs(model);
  const has = accepted.map((names) => names.map((name) => JSON.stringify(name)).join(' or ')).join(', ');
  const fed = new Map<number, ManifestInput>();
  inputs.forEach((input, index) => {
    const at = accepted.findIndex((names) => names.includes(input.name));
    const field = `${manifestPath}: inputs[${index}].name`;
    if (at < 0) throw new InputError(field, `expected the name of one of the model's inputs (${has}), got ${JSON.stringify(input.name)}`);
    if (fed.has(at)) throw new InputError(field, `expected each model input once, got ${JSON.stringify(input.name)} again`);
    fed.set(at, input);
  });
  const unfed = accepted.findIndex((_, at) => !fed.has(at));
  if (unfed >= 0) {
    const name = JSON.stringify(accepted[unfed]?.[0]);
    throw new InputError(`${manifestPath}: inputs`, `expected an entry for every model input (${has}), got none for ${name}`);
  }
  return accepted.map((_, at) => fed.get(at) as ManifestInput);
}

/**
 * Runs one one-text batch and checks the label count against the output's width. Any failure of
 * the model on it (a dtype, a sequence length or an output name it does not take) is an InputError
 * on the manifest now, not a model_error on every item later.
 */
export function checkLabelCount(
  tf: TF,
  manifestPath: string,
  score: ScoreBatch,
  tokenizer: PromptTokenizer,
  manifest: Pick<ClassifyManifest, 'labels' | 'maxSequenceLength'>,
): void {
  let width: number;
  try {
    width = tf.tidy(() => score(tokenizer.encodeBatch([PROBE_TEXT], manifest.maxSequenceLength)).shape[1] ?? 0);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new InputError(
      manifestPath,
      `the model fails on a one-text test batch (${reason}); check inputs, output and maxSequenceLength against the model`,
      { cause: error },
    );
  }
  if (width !== manifest.labels.length) {
    throw new InputError(
      `${manifestPath}: labels`,
      `expected ${width} labels (one per column of the model's output), got ${manifest.labels.length}`,
    );
  }
}
