/**
 * tf.io handlers over `fs`: without tfjs-node there is no file:// scheme, so models are saved as
 * model.json + weights.bin and read back through these. Failures become InputError naming the file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { InputError } from '../errors.js';
import { decodeUtf8 } from '../utf8-text.js';

const WEIGHTS_FILE = 'weights.bin';

/** Bytes per element of each dtype TF.js writes into a weights file. */
const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

function joinWeightData(data: io.ModelArtifacts['weightData']): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return out;
}

/** Save handler writing `<dir>/model.json` and `<dir>/weights.bin`. */
export function fsSaveHandler(dir: string, modelFile = 'model.json'): io.IOHandler {
  return {
    save: async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
      mkdirSync(dir, { recursive: true });
      const weights = joinWeightData(artifacts.weightData);
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, modelFile), JSON.stringify(modelJson));
      writeFileSync(join(dir, WEIGHTS_FILE), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}

function readJson(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError(path, `cannot read file (${(err as Error).message})`, { cause: err });
  }
  const text = decodeUtf8(bytes, path);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(path, `malformed JSON (${(err as Error).message})`, { cause: err });
  }
}

interface ModelJson {
  readonly modelTopology: object;
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly trainingConfig?: io.TrainingConfig;
  readonly weightsManifest: io.WeightsManifestConfig;
}

function asModelJson(path: string, value: unknown): ModelJson {
  if (typeof value !== 'object' || value === null) throw new InputError(path, 'expected a JSON object');
  const v = value as Record<string, unknown>;
  if (typeof v['modelTopology'] !== 'object' || v['modelTopology'] === null) {
    throw new InputError(`${path}: modelTopology`, 'expected an object (a TF.js layers or graph model.json)');
  }
  const manifest = v['weightsManifest'];
  if (!Array.isArray(manifest)) throw new InputError(`${path}: weightsManifest`, 'expected an array of weight groups');
  return value as ModelJson;
}

/** Expected byte length of a weight group, or undefined when a dtype/quantization is not plain. */
function expectedBytes(specs: readonly io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    if (spec.quantization !== undefined) return undefined;
    const bytes = DTYPE_BYTES[spec.dtype];
    if (bytes === undefined) return undefined;
    total += spec.shape.reduce((n, d) => n * d, 1) * bytes;
  }
  return total;
}

/** Load handler reading `<dir>/<modelFile>` and the weight files its manifest names. */
export function fsLoadHandler(dir: string, modelFile = 'model.json'): io.IOHandler {
  return {
    load: async (): Promise<io.ModelArtifacts> => {
      const modelPath = join(dir, modelFile);
      const json = asModelJson(modelPath, readJson(modelPath));
      const specs: io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        const parts: Uint8Array[] = [];
        for (const file of group.paths) {
          const weightPath = join(dir, file);
          try {
            parts.push(readFileSync(weightPath));
          } catch (err) {
            throw new InputError(weightPath, `weights file named by ${modelFile} cannot be read`, { cause: err });
          }
        }
        const groupBytes = parts.reduce((n, p) => n + p.byteLength, 0);
        const expected = expectedBytes(group.weights);
        if (expected !== undefined && expected !== groupBytes) {
          throw new InputError(
            join(dir, group.paths.join(',')),
            `expected ${expected} bytes of weights for ${group.weights.length} tensors, found ${groupBytes} (truncated or corrupt)`,
          );
        }
        specs.push(...group.weights);
        buffers.push(...parts);
      }
      // Small Buffers are views into Node's shared pool: copy out exactly their own bytes.
      const weightData = joinWeightData(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? null,
        trainingConfig: json.trainingConfig,
        weightSpecs: specs,
        weightData: weightData.buffer as ArrayBuffer,
      };
    },
  };
}

/** Read and parse a JSON file, naming the path in any error. */
export function readJsonFile(path: string): unknown {
  return readJson(path);
}
