/**
 * One quick latency measurement of the built-in small models on a backend (for the model cards).
 * Usage: node dist/models/train/measure-latency.js [--backend wasm] [--repeats 20]
 */
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../load.js';
import type { ClassifierRuntime, GeneratorRuntime } from '../types.js';
import { flag, useBackend } from './common.js';
import { say } from './say.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  await useBackend(flag('--backend', 'wasm'));
  const repeats = Number(flag('--repeats', '20'));
  const spec = { kind: 'builtin', size: 'small', cacheDir: '' } as const;
  const classifier = (await loadModel(tf, { ...spec, name: 'intent-classifier' })) as ClassifierRuntime;
  const text = 'Write a Python function that parses a CSV file, keep it short';
  for (const batch of [1, 8, 32]) {
    const texts = new Array<string>(batch).fill(text);
    await classifier.classify(texts);
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      await classifier.classify(texts);
      times.push(performance.now() - t0);
    }
    say(`classify batch ${batch}: median ${median(times).toFixed(1)} ms (${repeats} runs, ${tf.getBackend()})`);
  }
  const generator = (await loadModel(tf, { ...spec, name: 'prompt-generator' })) as GeneratorRuntime;
  const input = { text, intent: 'code_generation', techniques: ['structured_output', 'step_by_step'] as const };
  const steps: number[] = [];
  let last = 0;
  await generator.generate([input], { maxNewTokens: 8 });
  const t0 = performance.now();
  last = t0;
  await generator.generate([input], {
    maxNewTokens: 64,
    onStep: () => {
      const now = performance.now();
      steps.push(now - last);
      last = now;
    },
  });
  say(
    `generate batch 1, 64 tokens: ${(performance.now() - t0).toFixed(1)} ms, first token ${steps[0]!.toFixed(2)} ms, median inter-token ${median(steps.slice(1)).toFixed(2)} ms`,
  );
}

await main();
