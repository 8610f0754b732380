import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  function copyFixture(name = 'sentiment-layers'): string {
    const dir = mkdtempSync(join(tmpdir(), 'pb-user-'));
    cpSync(join(fixtures, name), dir, { recursive: true });
    return dir;
  }

  /** Rewrites the copied manifest.json through `edit`. */
  function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void): void {
    const path = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    writeFileSync(path, JSON.stringify(manifest));
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
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        name: 'x',
        task: 'classify',
        format: 'layers',
        maxSequenceLength: 16,
        tokenizer: { kind: 'huggingface', file: 'tokenizer.json' },
        inputs: [{ name: 'input_ids', feed: 'input_ids' }],
        output: { kind: 'logits' },
      }),
    );
    expect((await loadError(dir)).where).toBe(`${join(dir, 'manifest.json')}: labels`);
  });

  it.each([
    ['graph', 'sentiment-graph', '"input_ids"'],
    ['layers', 'sentiment-layers', '"embedding_input"'],
  ])(
    'a %s model: an input name the model lacks fails at load, naming inputs[0].name and the names it has',
    async (_format, fixture, has) => {
      const dir = copyFixture(fixture);
      editManifest(dir, (m) => {
        (m['inputs'] as { name: string }[])[0]!.name = 'token_ids';
      });
      const err = await loadError(dir);
      expect(err.where).toBe(`${join(dir, 'manifest.json')}: inputs[0].name`);
      expect(err.message).toContain(`expected the name of one of the model's inputs (${has}), got "token_ids"`);
    },
  );

  it('an input listed twice fails at load', async () => {
    const dir = copyFixture('sentiment-graph');
    editManifest(dir, (m) => {
      m['inputs'] = [
        { name: 'input_ids', feed: 'input_ids' },
        { name: 'input_ids', feed: 'attention_mask' },
      ];
    });
    const err = await loadError(dir);
    expect(err.where).toBe(`${join(dir, 'manifest.json')}: inputs[1].name`);
    expect(err.message).toContain('expected each model input once, got "input_ids" again');
  });

  it('a model input the manifest leaves unfed fails at load; listing it loads', async () => {
    const dir = copyFixture('sentiment-graph');
    // A second placeholder: the graph now takes input_ids and attention_mask (the mask goes unused).
    const modelPath = join(dir, 'model.json');
    const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { modelTopology: { node: object[] } };
    model.modelTopology.node.push({
      name: 'attention_mask',
      op: 'Placeholder',
      attr: { dtype: { type: 'DT_INT32' }, shape: { shape: { dim: [{ size: '-1' }, { size: '16' }] } } },
    });
    writeFileSync(modelPath, JSON.stringify(model));
    const err = await loadError(dir);
    expect(err.where).toBe(`${join(dir, 'manifest.json')}: inputs`);
    expect(err.message).toContain('expected an entry for every model input ("input_ids", "attention_mask"), got none for "attention_mask"');
    editManifest(dir, (m) => {
      m['inputs'] = [
        { name: 'attention_mask', feed: 'attention_mask' },
        { name: 'input_ids', feed: 'input_ids' },
      ];
    });
    const runtime = (await loadModel(tf, { kind: 'dir', dir })) as ClassifierRuntime;
    expect((await runtime.classify(texts)).map((o) => o.label)).toEqual(['positive', 'negative', 'positive', 'negative']);
    runtime.dispose();
  });

  it('3 labels for a 2-column output fail at load, naming labels and the width', async () => {
    for (const fixture of ['sentiment-graph', 'sentiment-layers']) {
      const dir = copyFixture(fixture);
      editManifest(dir, (m) => {
        m['labels'] = ['negative', 'neutral', 'positive'];
      });
      const err = await loadError(dir);
      expect(err.where).toBe(`${join(dir, 'manifest.json')}: labels`);
      expect(err.message).toContain("expected 2 labels (one per column of the model's output), got 3");
    }
  });

  it('an output name the graph lacks fails at load instead of on every item', async () => {
    const dir = copyFixture('sentiment-graph');
    editManifest(dir, (m) => {
      m['output'] = { name: 'scores', kind: 'probabilities' };
    });
    const err = await loadError(dir);
    expect(err.where).toBe(join(dir, 'manifest.json'));
    expect(err.message).toContain("the model fails on a one-text test batch (The output 'scores' is not found in the graph)");
  });

  it.each([
    ['a classifier marked generate', 'sentiment-graph', 'generate', 'expected "classify"'],
    ['the generator marked classify', '../../../models/prompt-generator', 'classify', 'expected "generate"'],
  ])('%s: the error names task, not format or labels', async (_name, fixture, task, expected) => {
    const dir = copyFixture(fixture);
    editManifest(dir, (m) => {
      m['task'] = task;
    });
    const err = await loadError(dir);
    expect(err.where).toBe(`${join(dir, 'manifest.json')}: task`);
    expect(err.message).toContain(`${expected} (the other fields describe a`);
    expect(err.message).toContain(`got "${task}"`);
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
