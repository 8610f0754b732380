import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadModel } from '../../src/models/load.js';
import type { ClassifierRuntime } from '../../src/models/types.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/models');
const texts = ['The movie was really great', 'the food was terrible', 'I love this day', 'the service was poor'];

beforeAll(async () => {
  await tf.setBackend('wasm');
});

async function classifyWith(dir: string): Promise<{ label: string; confidence: number }[]> {
  const runtime = (await loadModel(tf, { kind: 'dir', dir })) as ClassifierRuntime;
  expect(runtime.info.size).toBe('custom');
  const before = tf.memory().numTensors;
  const out = await runtime.classify(texts);
  expect(tf.memory().numTensors).toBe(before);
  runtime.dispose();
  return out;
}

describe('user models (manifest.json + Hugging Face tokenizer.json)', () => {
  it('runs the layers example with logits output', async () => {
    const out = await classifyWith(join(fixtures, 'sentiment-layers'));
    expect(out.map((o) => o.label)).toEqual(['positive', 'negative', 'positive', 'negative']);
  });

  it('runs the graph example (same weights) and agrees with the layers one', async () => {
    const graph = await classifyWith(join(fixtures, 'sentiment-graph'));
    const layers = await classifyWith(join(fixtures, 'sentiment-layers'));
    expect(graph.map((o) => o.label)).toEqual(layers.map((o) => o.label));
    graph.forEach((o, i) => expect(o.confidence).toBeCloseTo(layers[i]!.confidence, 4));
  });
});

describe('manifest errors name the file and field', () => {
  function copyFixture(): string {
    const dir = mkdtempSync(join(tmpdir(), 'pb-user-'));
    cpSync(join(fixtures, 'sentiment-layers'), dir, { recursive: true });
    return dir;
  }

  async function loadError(dir: string): Promise<InputError> {
    const err = await loadModel(tf, { kind: 'dir', dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }

  it('missing manifest', async () => {
    const dir = copyFixture();
    rmSync(join(dir, 'manifest.json'));
    expect((await loadError(dir)).where).toBe(join(dir, 'manifest.json'));
  });

  it('malformed JSON', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'manifest.json'), '{"task": "classify",');
    expect((await loadError(dir)).message).toMatch(/manifest\.json: malformed JSON/);
  });

  it('unknown task', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'x', task: 'detect' }));
    expect((await loadError(dir)).where).toBe(`${join(dir, 'manifest.json')}: task`);
  });

  it('a missing field', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'x', task: 'classify', format: 'layers', maxSequenceLength: 16, tokenizer: { kind: 'huggingface', file: 'tokenizer.json' }, inputs: [{ name: 'input_ids', feed: 'input_ids' }], output: { kind: 'logits' } }));
    expect((await loadError(dir)).where).toBe(`${join(dir, 'manifest.json')}: labels`);
  });

  it('missing weights file', async () => {
    const dir = copyFixture();
    rmSync(join(dir, 'weights.bin'));
    expect((await loadError(dir)).where).toBe(join(dir, 'weights.bin'));
  });

  it('corrupt model.json (not a model)', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: { nonsense: true }, weightsManifest: [] }));
    const err = await loadError(dir);
    expect(err.where).toBe(join(dir, 'model.json'));
    expect(err.message).not.toMatch(/\n\s+at /);
  });
});
