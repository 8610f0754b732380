import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadCorpus, parseCorpus, TextSource, type Corpus } from '../../src/workload/corpus.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'workloads');

function corpusOf(count: number): Corpus {
  return { path: 'mem', entries: Array.from({ length: count }, (_, i) => ({ text: `prompt ${i}` })) };
}

function take(source: TextSource, count: number): string[] {
  return Array.from({ length: count }, () => source.next());
}

function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('loadCorpus', () => {
  it('reads JSONL, skipping blank lines and ignoring extra keys', async () => {
    const corpus = await loadCorpus(join(FIXTURES, 'prompts.jsonl'));
    expect(corpus.entries).toHaveLength(6);
    expect(corpus.entries[0]).toEqual({
      text: 'Summarise this quarterly report in three bullet points',
      intent: 'summarization',
      split: 'train',
    });
    expect(corpus.entries[3]).toEqual({ text: "Translate 'good morning' into French", intent: 'translation', split: 'train' });
    expect(corpus.entries[4]).toEqual({ text: 'Explain what a hash map is to a beginner' });
  });

  it('a bad line is an InputError at file:line', async () => {
    const file = join(FIXTURES, 'bad-line.jsonl');
    const error: unknown = await loadCorpus(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toBe(`${file}:3`);
    expect((error as InputError).message).toContain('expected "split" to be "train" or "test", got "validation"');
  });

  it('a byte that is not UTF-8 is an InputError at file:line, where it was read as U+FFFD before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pb-corpus-'));
    const file = join(dir, 'latin1.jsonl');
    await writeFile(
      file,
      Buffer.concat([Buffer.from('{"text":"one"}\n{"text":"two"}\n{"text":"caf'), Buffer.from([0xff]), Buffer.from('"}\n')]),
    );
    const error: unknown = await loadCorpus(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toBe(`${file}:3`);
    expect((error as InputError).message).toContain('expected UTF-8 text, got byte 0xFF');
  });

  it('a missing file names the file', async () => {
    const file = join(FIXTURES, 'none.jsonl');
    const error: unknown = await loadCorpus(file).catch((e: unknown) => e);
    expect((error as InputError).where).toBe(file);
    expect((error as InputError).message).toContain('not found');
  });

  it.each([
    ['invalid JSON', '{"text": "ok"}\n{"text": oops}', 2, 'got invalid JSON'],
    ['not an object', '["a list"]', 1, 'expected a JSON object such as {"text": "..."}, got a list'],
    ['text missing', '{"intent": "x"}', 1, 'expected "text" to be a non-empty string, got nothing'],
    ['text empty', '\n\n{"text": ""}', 3, 'got ""'],
    ['intent not a string', '{"text": "a", "intent": 3}', 1, 'expected "intent" to be a string, got 3'],
  ])('%s -> line %i', (_name, text, line, fragment) => {
    const error = thrown(() => parseCorpus(text, 'c.jsonl'));
    expect(error.where).toBe(`c.jsonl:${line}`);
    expect(error.message).toContain(fragment);
  });

  it('an empty corpus is an error', () => {
    expect(thrown(() => parseCorpus('\n  \n', 'c.jsonl')).message).toContain('expected at least one prompt line, got none');
  });

  it('the shipped corpus loads', async () => {
    const corpus = await loadCorpus(resolve(import.meta.dirname, '..', '..', 'workloads', 'corpus', 'prompts.jsonl'));
    expect(corpus.entries.length).toBeGreaterThan(100);
  });
});

describe('TextSource', () => {
  it('the same seed gives the same sequence', () => {
    const corpus = corpusOf(50);
    expect(take(new TextSource(corpus, { seed: 7, uniqueTexts: false }), 120)).toEqual(
      take(new TextSource(corpus, { seed: 7, uniqueTexts: false }), 120),
    );
  });

  it('a different seed gives a different order', () => {
    const corpus = corpusOf(50);
    const a = take(new TextSource(corpus, { seed: 1, uniqueTexts: false }), 50);
    const b = take(new TextSource(corpus, { seed: 2, uniqueTexts: false }), 50);
    expect(a).not.toEqual(b);
    expect([...a].sort()).toEqual([...b].sort());
  });

  it('is shuffled, and each pass returns every text exactly once before cycling', () => {
    const corpus = corpusOf(40);
    const source = new TextSource(corpus, { seed: 3, uniqueTexts: false });
    const firstPass = take(source, 40);
    expect(firstPass).not.toEqual(corpus.entries.map((e) => e.text));
    expect(new Set(firstPass).size).toBe(40);
    expect(take(source, 40)).toEqual(firstPass);
    expect(source.count).toBe(80);
  });

  it('uniqueTexts makes every text distinct across passes, with a short suffix', () => {
    const source = new TextSource(corpusOf(5), { seed: 1, uniqueTexts: true });
    const texts = take(source, 23);
    expect(new Set(texts).size).toBe(23);
    expect(texts[0]).toMatch(/^prompt \d \(#1\)$/);
    expect(texts[22]).toMatch(/^prompt \d \(#23\)$/);
  });

  it('a one-text corpus repeats it (or suffixes it)', () => {
    const one = { path: 'mem', entries: [{ text: 'only' }] };
    expect(take(new TextSource(one, { seed: 9, uniqueTexts: false }), 3)).toEqual(['only', 'only', 'only']);
    expect(take(new TextSource(one, { seed: 9, uniqueTexts: true }), 2)).toEqual(['only (#1)', 'only (#2)']);
  });

  it('refuses an empty corpus', () => {
    expect(() => new TextSource({ path: 'mem', entries: [] }, { seed: 1, uniqueTexts: false })).toThrow(InputError);
  });
});
