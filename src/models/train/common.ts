/** Shared by the training scripts: flags, corpus reading and the TF.js backend. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { INTENTS, type Intent } from '../taxonomy.js';

export interface Example {
  readonly text: string;
  readonly intent: Intent;
  readonly split: 'train' | 'test';
}

export { PACKAGE_ROOT as REPO_ROOT } from '../../package-root.js';

export function flag(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}

export function readCorpus(path: string): Example[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Example)
    .filter((e) => (INTENTS as readonly string[]).includes(e.intent));
}

export async function useBackend(name: string): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}
