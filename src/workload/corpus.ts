/**
 * The prompt corpus (JSONL, one {"text", "intent"?, "split"?} per line) and the seeded feed of
 * texts the load driver draws from.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { mulberry32, shuffled } from '../random.js';
import { describeValue } from './units.js';
import { readInputFile } from './yaml-file.js';

export interface CorpusEntry {
  readonly text: string;
  readonly intent?: string;
  readonly split?: 'train' | 'test';
}

export interface Corpus {
  readonly path: string;
  readonly entries: readonly CorpusEntry[];
}

// Extra keys are allowed (corpora carry notes such as sources); the ones we read must be right.
const CorpusLineSchema = z.object({
  text: z.string({ error: (i) => `expected "text" to be a non-empty string, got ${describeValue(i.input)}` }).min(1, {
    error: 'expected "text" to be a non-empty string, got ""',
  }),
  intent: z.string({ error: (i) => `expected "intent" to be a string, got ${describeValue(i.input)}` }).optional(),
  split: z.enum(['train', 'test'], { error: (i) => `expected "split" to be "train" or "test", got ${describeValue(i.input)}` }).optional(),
});

/** Reads a UTF-8 JSONL corpus; a byte that is not UTF-8 is an InputError at "<path>:<line>". */
export async function loadCorpus(path: string): Promise<Corpus> {
  return parseCorpus(await readInputFile(path, 'the prompt corpus'), path);
}

/** Parses JSONL text; blank lines are skipped; a bad line is an InputError at "<path>:<line>". */
export function parseCorpus(text: string, path: string): Corpus {
  const entries: CorpusEntry[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    const where = `${path}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(where, `expected a JSON object such as {"text": "..."}, got invalid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(where, `expected a JSON object such as {"text": "..."}, got ${describeValue(value)}`);
    }
    const result = CorpusLineSchema.safeParse(value);
    if (!result.success) throw new InputError(where, result.error.issues[0]?.message ?? 'invalid line');
    entries.push(result.data);
  }
  if (entries.length === 0) throw new InputError(path, 'expected at least one prompt line, got none');
  return { path, entries };
}

export interface TextSourceOptions {
  readonly seed: number;
  /**
   * Append a short unique suffix (" (#17)") to every text. Services that cache responses on the
   * exact prompt text (the BetterPrompts API does) would otherwise answer repeats from the cache,
   * and the benchmark would measure the cache instead of the models.
   */
  readonly uniqueTexts: boolean;
  /**
   * Marks this source's unique suffixes (" (#w2.17)"), so several sources drawing at once (load
   * worker threads) never send the same text. Absent: " (#17)".
   */
  readonly uniqueTag?: string;
}

/**
 * Texts in a seeded order: one shuffle of the corpus, precomputed, then cycled. next() is on the
 * load driver's hot path, so it only indexes an array (and, with uniqueTexts, appends a counter).
 */
export class TextSource {
  private readonly texts: readonly string[];
  private readonly uniqueTexts: boolean;
  private readonly uniquePrefix: string;
  private position = 0;
  private issued = 0;

  constructor(corpus: Corpus, options: TextSourceOptions) {
    if (corpus.entries.length === 0) throw new InputError(corpus.path, 'expected at least one prompt, got none');
    this.texts = shuffled(
      corpus.entries.map((entry) => entry.text),
      mulberry32(options.seed),
    );
    this.uniqueTexts = options.uniqueTexts;
    this.uniquePrefix = options.uniqueTag === undefined ? ' (#' : ` (#${options.uniqueTag}.`;
  }

  /** How many texts next() has returned. */
  get count(): number {
    return this.issued;
  }

  next(): string {
    const text = this.texts[this.position] as string;
    this.position = this.position + 1 === this.texts.length ? 0 : this.position + 1;
    this.issued++;
    return this.uniqueTexts ? `${text}${this.uniquePrefix}${this.issued})` : text;
  }
}
