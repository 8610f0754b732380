import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildClassifier } from '../../src/models/classifier-arch.js';
import { fsLoadHandler, fsSaveHandler } from '../../src/models/fs-io.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function tinyClassifier(): tf.LayersModel {
  return buildClassifier({ vocabSize: 30, maxSequenceLength: 8, dim: 16, heads: 2, ffDim: 32, blocks: 1, labels: 3, dropout: 0 });
}

describe('fs-io handlers', () => {
  it('round-trips a model with custom layers exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-fsio-'));
    const model = tinyClassifier();
    await model.save(fsSaveHandler(dir));
    const loaded = await tf.loadLayersModel(fsLoadHandler(dir));
    const original = model.getWeights().map((w) => Array.from(w.dataSync()));
    const restored = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    expect(restored).toEqual(original);
    const ids = tf.tensor2d([[2, 5, 7, 0, 0, 0, 0, 0]], [1, 8], 'int32');
    const a = (model.predict(ids) as tf.Tensor).dataSync();
    const b = (loaded.predict(ids) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('names the weights file when it is truncated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-fsio-'));
    await tinyClassifier().save(fsSaveHandler(dir));
    const bytes = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), bytes.subarray(0, bytes.byteLength - 8));
    await expect(fsLoadHandler(dir).load!()).rejects.toThrow(/weights\.bin.*expected \d+ bytes/);
  });

  it('names model.json when it is malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-fsio-'));
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
    const err = await fsLoadHandler(dir).load!().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe(join(dir, 'model.json'));
  });
});
