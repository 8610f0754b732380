/**
 * Word-level vocabulary of the built-in models: deterministic splitting into words and
 * punctuation, [PAD]=0 [UNK]=1 [CLS]=2 [EOS]=3, then words by frequency (ties alphabetical).
 */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const EOS_ID = 3;
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[EOS]'] as const;

/** Contents of vocab.json. */
export interface VocabFile {
  readonly kind: 'word';
  readonly lowercase: boolean;
  readonly tokens: readonly string[];
}

const WORD_PATTERN = /[\p{L}\p{N}][\p{L}\p{N}'+#_-]*|[^\s\p{L}\p{N}]/gu;

export function splitWords(text: string, lowercase: boolean): string[] {
  return (lowercase ? text.toLowerCase() : text).match(WORD_PATTERN) ?? [];
}

export function buildVocab(texts: Iterable<string>, lowercase: boolean, minCount: number, maxSize: number): VocabFile {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of splitWords(text, lowercase)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const words = [...counts.entries()]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxSize - SPECIAL_TOKENS.length)
    .map(([w]) => w);
  return { kind: 'word', lowercase, tokens: [...SPECIAL_TOKENS, ...words] };
}

export class WordVocab {
  readonly tokens: readonly string[];
  readonly lowercase: boolean;
  private readonly ids: ReadonlyMap<string, number>;

  constructor(file: VocabFile) {
    this.tokens = file.tokens;
    this.lowercase = file.lowercase;
    this.ids = new Map(file.tokens.map((t, i) => [t, i]));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Word ids of `text` without specials, cut to `maxTokens`. */
  wordIds(text: string, maxTokens: number): number[] {
    return splitWords(text, this.lowercase)
      .slice(0, maxTokens)
      .map((w) => this.ids.get(w) ?? UNK_ID);
  }

  /** [CLS] + words, padded with [PAD] to exactly `length`. */
  encodeFixed(text: string, length: number): number[] {
    const ids = [CLS_ID, ...this.wordIds(text, length - 1)];
    while (ids.length < length) ids.push(PAD_ID);
    return ids;
  }

  /** Readable text of ids up to the first [EOS]; no space before closing punctuation. */
  decode(ids: readonly number[]): string {
    const words: string[] = [];
    for (const id of ids) {
      if (id === EOS_ID) break;
      if (id === PAD_ID || id === CLS_ID) continue;
      words.push(this.tokens[id] ?? '[UNK]');
    }
    return words
      .join(' ')
      .replace(/ ([.,:;?!)])/g, '$1')
      .replace(/\( /g, '(');
  }
}

export function isVocabFile(value: unknown): value is VocabFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['kind'] === 'word' &&
    typeof v['lowercase'] === 'boolean' &&
    Array.isArray(v['tokens']) &&
    v['tokens'].length > SPECIAL_TOKENS.length &&
    v['tokens'].every((t) => typeof t === 'string') &&
    SPECIAL_TOKENS.every((s, i) => (v['tokens'] as unknown[])[i] === s)
  );
}
