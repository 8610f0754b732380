/** Shared by the training scripts: flags, corpus reading and the TF.js backend. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { PACKAGE_ROOT } from '../../package-root.js';
import { INTENTS, type Intent } from '../taxonomy.js';

export interface Example {
  readonly text: string;
  readonly intent: Intent;
  readonly split: 'train' | 'test';
}

export const REPO_ROOT = PACKAGE_ROOT;

export function flag(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}

/** The corpus named by --corpus (default: the committed one), split into train and held-out test. */
export function readCorpusSplits(): { readonly train: Example[]; readonly test: Example[] } {
  const corpus = readCorpus(flag('--corpus', join(REPO_ROOT, 'workloads/corpus/prompts.jsonl')));
  return { train: corpus.filter((e) => e.split === 'train'), test: corpus.filter((e) => e.split === 'test') };
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
