/**
 * Turns a batch of texts into fixed-length id tensors' data: the built-in word vocab or a
 * Hugging Face tokenizer.json, both padded/truncated to the model's maxSequenceLength.
 */
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { InputError } from '../errors.js';
import { readJsonFile } from './fs-io.js';
import type { TokenizerRef } from './manifest.js';
import { isVocabFile, WordVocab } from './vocab.js';

export interface EncodedBatch {
  readonly batch: number;
  readonly length: number;
  readonly inputIds: Int32Array;
  readonly attentionMask: Int32Array;
  readonly tokenTypeIds: Int32Array;
}

export interface PromptTokenizer {
  encodeBatch(texts: readonly string[], length: number): EncodedBatch;
}

function fixedBatch(rows: readonly (readonly number[])[], length: number, padId: number): EncodedBatch {
  const inputIds = new Int32Array(rows.length * length).fill(padId);
  const attentionMask = new Int32Array(rows.length * length);
  rows.forEach((ids, r) => {
    ids.slice(0, length).forEach((id, c) => {
      inputIds[r * length + c] = id;
      attentionMask[r * length + c] = 1;
    });
  });
  return { batch: rows.length, length, inputIds, attentionMask, tokenTypeIds: new Int32Array(rows.length * length) };
}

export function vocabTokenizer(vocab: WordVocab): PromptTokenizer {
  return {
    encodeBatch: (texts, length) =>
      fixedBatch(
        texts.map((t) => vocab.encodeFixed(t, length).filter((id) => id !== 0)),
        length,
        0,
      ),
  };
}

export function huggingfaceTokenizer(tokenizer: Tokenizer, padId: number): PromptTokenizer {
  return {
    encodeBatch: (texts, length) =>
      fixedBatch(
        texts.map((t) => tokenizer.encode(t).ids),
        length,
        padId,
      ),
  };
}

export function loadVocab(path: string): WordVocab {
  const value = readJsonFile(path);
  if (!isVocabFile(value)) {
    throw new InputError(path, 'expected {"kind":"word","lowercase":bool,"tokens":["[PAD]","[UNK]","[CLS]","[EOS]",...]}');
  }
  return new WordVocab(value);
}

function padIdOf(json: unknown): number {
  const padding = (json as { padding?: { pad_id?: unknown } | null }).padding;
  return typeof padding?.pad_id === 'number' ? padding.pad_id : 0;
}

export function loadTokenizer(dir: string, ref: TokenizerRef): PromptTokenizer {
  const path = join(dir, ref.file);
  if (ref.kind === 'vocab') return vocabTokenizer(loadVocab(path));
  const json = readJsonFile(path);
  const config = ref.configFile === undefined ? {} : readJsonFile(join(dir, ref.configFile));
  try {
    return huggingfaceTokenizer(new Tokenizer(json as object, config as object), padIdOf(json));
  } catch (err) {
    throw new InputError(path, `not a usable Hugging Face tokenizer.json (${(err as Error).message})`, { cause: err });
  }
}
