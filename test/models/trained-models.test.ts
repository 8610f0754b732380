import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinModelDir, loadModel } from '../../src/models/load.js';
import type { Intent } from '../../src/models/taxonomy.js';
import { chooseTechniques } from '../../src/models/techniques.js';
import { enhancedText } from '../../src/models/train/enhanced-text.js';
import type { ClassifierRuntime, GeneratorRuntime } from '../../src/models/types.js';
import { splitWords } from '../../src/models/vocab.js';

/** A few points under what training reached (models/intent-classifier/metrics.json), so a regression fails. */
const ACCURACY_FLOOR = 0.97;
/** Share of held-out reference words the greedy output gets right, position by position. */
const WORD_ACCURACY_FLOOR = 0.9;

interface Line {
  readonly text: string;
  readonly intent: Intent;
  readonly split: string;
}

const corpusPath = join(builtinModelDir('intent-classifier'), '../../workloads/corpus/prompts.jsonl');
const heldOut = readFileSync(corpusPath, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Line)
  .filter((l) => l.split === 'test');

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('built-in intent classifier', () => {
  it(`reaches >= ${ACCURACY_FLOOR} accuracy on the held-out split`, async () => {
    const runtime = (await loadModel(tf, { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '' })) as ClassifierRuntime;
    let correct = 0;
    for (let i = 0; i < heldOut.length; i += 64) {
      const chunk = heldOut.slice(i, i + 64);
      const out = await runtime.classify(chunk.map((l) => l.text));
      out.forEach((o, j) => (correct += o.label === chunk[j]!.intent ? 1 : 0));
    }
    runtime.dispose();
    expect(heldOut.length).toBe(450);
    expect(correct / heldOut.length).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
  });
});

describe('built-in prompt generator', () => {
  it('writes readable enhanced prompts close to the reference, never a stuck loop', async () => {
    const runtime = (await loadModel(tf, { kind: 'builtin', name: 'prompt-generator', size: 'small', cacheDir: '' })) as GeneratorRuntime;
    const sample = heldOut.filter((_, i) => i % 45 === 0);
    const inputs = sample.map((l) => ({ text: l.text, intent: l.intent, techniques: chooseTechniques(l.intent) }));
    const out = await runtime.generate(inputs, { maxNewTokens: 80 });
    runtime.dispose();
    let matched = 0;
    let total = 0;
    out.forEach((o, i) => {
      expect(o.tokenCount).toBe(80);
      expect(o.text).toMatch(/^You are /);
      const words = splitWords(o.text, false);
      for (let w = 2; w < words.length; w++) {
        const tripled = words[w] === words[w - 1] && words[w] === words[w - 2];
        expect(tripled, o.text).toBe(false);
      }
      const reference = splitWords(enhancedText(inputs[i]!.text, inputs[i]!.intent, inputs[i]!.techniques), false);
      reference.forEach((r, j) => (matched += words[j] === r ? 1 : 0));
      total += reference.length;
    });
    expect(matched / total).toBeGreaterThanOrEqual(WORD_ACCURACY_FLOOR);
  });
});
