/**
 * Writes workloads/corpus/prompts.jsonl: distinct prompts per intent from the templates, seeded.
 * Usage: node dist/models/train/make-corpus.js [--seed 42] [--per-intent 300] [--out path]
 */
import { PACKAGE_ROOT } from '../../package-root.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTENTS } from '../taxonomy.js';
import { PREFIXES, SLOTS, SUFFIXES, TEMPLATES } from './corpus-templates.js';
import { mulberry32, pick, shuffle } from './rng.js';
import { say } from './say.js';

export interface CorpusLine {
  readonly text: string;
  readonly intent: string;
  readonly split: 'train' | 'test';
}

const TEST_FRACTION = 0.15;

function fill(rand: () => number, template: string): string {
  let text = template.replace(/\{(\w+)\}/g, (_, slot: string) => pick(rand, SLOTS[slot] ?? [slot]));
  if (rand() < 0.25) text = pick(rand, PREFIXES) + text.charAt(0).toLowerCase() + text.slice(1);
  if (rand() < 0.45) {
    const end = /[?.!]$/.exec(text)?.[0] ?? '';
    text = text.slice(0, text.length - end.length) + pick(rand, SUFFIXES) + end;
  }
  // Some users write lowercase, some drop the final punctuation.
  const lowered = rand() < 0.2 ? text.toLowerCase() : text;
  return rand() < 0.2 ? lowered.replace(/[?.]$/, '') : lowered;
}

export function makeCorpus(seed: number, perIntent: number): CorpusLine[] {
  const rand = mulberry32(seed);
  const seen = new Set<string>();
  const lines: CorpusLine[] = [];
  for (const intent of INTENTS) {
    const texts: string[] = [];
    for (let attempt = 0; attempt < perIntent * 50 && texts.length < perIntent; attempt++) {
      const text = fill(rand, pick(rand, TEMPLATES[intent]));
      if (text.length < 15 || text.length > 190 || seen.has(text)) continue;
      seen.add(text);
      texts.push(text);
    }
    const testCount = Math.round(texts.length * TEST_FRACTION);
    shuffle(rand, texts).forEach((text, i) => lines.push({ text, intent, split: i < testCount ? 'test' : 'train' }));
  }
  return shuffle(rand, lines);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: string): string => {
    const i = args.indexOf(name);
    return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
  };
  const root = PACKAGE_ROOT;
  const out = resolve(flag('--out', `${root}/workloads/corpus/prompts.jsonl`));
  const lines = makeCorpus(Number(flag('--seed', '42')), Number(flag('--per-intent', '300')));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const lengths = lines.map((l) => l.text.length).sort((a, b) => a - b);
  const test = lines.filter((l) => l.split === 'test').length;
  say(
    `${lines.length} prompts (${test} test) -> ${out}\nchars: min ${lengths[0]} p50 ${percentile(lengths, 50)} ` +
      `p90 ${percentile(lengths, 90)} p99 ${percentile(lengths, 99)} max ${lengths[lengths.length - 1]}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
