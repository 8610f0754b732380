/**
 * Entry point for the engine: a ModelSpec in, a ready ModelRuntime out. Built-in `small` models
 * are committed folders under models/; `base` ones are built from a seed into spec.cacheDir.
 */
import { join, resolve } from 'node:path';
import { builtinModelDirOf } from './base/builtin-dir.js';
import type * as tfTypes from '@tensorflow/tfjs';
import { InputError, PipebenchError } from '../errors.js';
import './layers.js';
import { loadBaseModel } from './base/load-base.js';
import { classifierRuntime, scoreBatch, type ClassifierModel } from './classifier-runtime.js';
import { checkInputNames, checkLabelCount } from './classifier-signature.js';
import { fsLoadHandler } from './fs-io.js';
import { generatorRuntime } from './generator-runtime.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';
import { loadTokenizer, loadVocab } from './tokenizers.js';
import type { ModelRuntime, ModelSpec } from './types.js';
import type { ModelInfo } from '../core/model-info.js';

type TF = typeof tfTypes;

/** Absolute path of models/<name>; this file sits two levels below the repo root in src/ and dist/. */
export function builtinModelDir(name: string): string {
  return builtinModelDirOf(name);
}

function modelError(path: string, what: string, err: unknown): PipebenchError {
  if (err instanceof PipebenchError) return err;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new InputError(path, `cannot load ${what} (${message})`, { cause: err });
}

async function loadLayers(tf: TF, dir: string, modelFile: string): Promise<tfTypes.LayersModel> {
  try {
    return await tf.loadLayersModel(fsLoadHandler(dir, modelFile));
  } catch (err) {
    throw modelError(join(dir, modelFile), 'a TF.js layers model', err);
  }
}

async function loadGraph(tf: TF, dir: string, modelFile: string): Promise<tfTypes.GraphModel> {
  try {
    return await tf.loadGraphModel(fsLoadHandler(dir, modelFile));
  } catch (err) {
    throw modelError(join(dir, modelFile), 'a TF.js graph model', err);
  }
}

function infoOf(manifest: Manifest, dir: string, parameters: number): ModelInfo {
  return {
    name: manifest.name,
    task: manifest.task,
    version: manifest.version,
    format: manifest.format,
    size: manifest.size,
    parameters,
    maxSequenceLength: manifest.maxSequenceLength,
    dir,
  };
}

function graphParameters(model: tfTypes.GraphModel): number {
  return Object.values(model.weights).reduce((n, ts) => n + ts.reduce((m, t) => m + t.size, 0), 0);
}

/** Load a model folder with manifest.json (a built-in small model or a user's). */
export async function loadModelDir(tf: TF, dir: string): Promise<ModelRuntime> {
  const manifest = readManifest(dir);
  if (manifest.task === 'generate') {
    const inputVocab = loadVocab(join(dir, manifest.tokenizer.file));
    const outputVocab = loadVocab(join(dir, manifest.outputVocabFile));
    const model = await loadLayers(tf, dir, manifest.modelFile);
    return generatorRuntime(tf, model, inputVocab, outputVocab, infoOf(manifest, dir, model.countParams()));
  }
  const tokenizer = loadTokenizer(dir, manifest.tokenizer);
  const model: ClassifierModel =
    manifest.format === 'layers'
      ? { kind: 'layers', model: await loadLayers(tf, dir, manifest.modelFile) }
      : { kind: 'graph', model: await loadGraph(tf, dir, manifest.modelFile) };
  try {
    const manifestPath = join(dir, MANIFEST_FILE);
    const io = { ...manifest, inputs: checkInputNames(manifestPath, model, manifest.inputs) };
    checkLabelCount(tf, manifestPath, scoreBatch(tf, model, io), tokenizer, io);
    const parameters = model.kind === 'layers' ? model.model.countParams() : graphParameters(model.model);
    return classifierRuntime(tf, model, tokenizer, io, infoOf(manifest, dir, parameters));
  } catch (error) {
    model.model.dispose();
    throw error;
  }
}

export async function loadModel(tf: TF, spec: ModelSpec): Promise<ModelRuntime> {
  if (spec.kind === 'dir') return loadModelDir(tf, resolve(spec.dir));
  if (spec.size === 'small') return loadModelDir(tf, builtinModelDir(spec.name));
  return loadBaseModel(tf, spec.name, resolve(spec.cacheDir));
}
