/**
 * Named float32 weights of the `base` models: built from a seed once, then cached as
 * weights.json (config, names, shapes) + weights.bin in the cache folder.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { mulberry32 } from '../train/rng.js';

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** 'normal' ~ N(0, 0.02)-like uniform, 'ones' and 'zeros' for norms and biases. */
  readonly init: 'normal' | 'ones' | 'zeros';
}

export interface StoredWeights {
  readonly config: unknown;
  readonly arrays: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;
}

const INIT_HALF_WIDTH = 0.02 * Math.sqrt(3); // uniform with the std of BERT/GPT-2's N(0, 0.02)

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function buildWeights(specs: readonly WeightSpec[], seed: number): Float32Array {
  const total = specs.reduce((n, s) => n + sizeOf(s.shape), 0);
  const values = new Float32Array(total);
  const rand = mulberry32(seed);
  let offset = 0;
  for (const spec of specs) {
    const n = sizeOf(spec.shape);
    if (spec.init === 'ones') values.fill(1, offset, offset + n);
    if (spec.init === 'normal') for (let i = offset; i < offset + n; i++) values[i] = (rand() * 2 - 1) * INIT_HALF_WIDTH;
    offset += n;
  }
  return values;
}

/** Weights from `dir`, building and writing them first when the folder has none. */
export function loadOrBuildWeights(dir: string, config: unknown, specs: readonly WeightSpec[], seed: number): StoredWeights {
  const indexPath = join(dir, 'weights.json');
  const binPath = join(dir, 'weights.bin');
  if (!existsSync(indexPath) || !existsSync(binPath)) {
    mkdirSync(dir, { recursive: true });
    const values = buildWeights(specs, seed);
    writeFileSync(`${binPath}.tmp`, values);
    renameSync(`${binPath}.tmp`, binPath);
    writeFileSync(indexPath, JSON.stringify({ config, seed, tensors: specs.map(({ name, shape }) => ({ name, shape })) }));
  }
  let index: { config: unknown; tensors: { name: string; shape: number[] }[] };
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as typeof index;
  } catch (err) {
    throw new InputError(indexPath, 'malformed cached weights index; delete the folder to rebuild it', { cause: err });
  }
  const bytes = readFileSync(binPath);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  const expected = index.tensors.reduce((n, t) => n + sizeOf(t.shape), 0);
  if (all.length !== expected || bytes.byteLength % 4 !== 0) {
    throw new InputError(binPath, `expected ${expected * 4} bytes, found ${bytes.byteLength}; delete the folder to rebuild it`);
  }
  const arrays = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  let offset = 0;
  for (const t of index.tensors) {
    const n = sizeOf(t.shape);
    arrays.set(t.name, { shape: t.shape, values: all.subarray(offset, offset + n) });
    offset += n;
  }
  return { config: index.config, arrays };
}
