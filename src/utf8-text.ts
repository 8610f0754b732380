/**
 * Text files the user gives us (workloads, corpora, manifests) must be UTF-8. Node's 'utf8'
 * decoding swaps a bad byte for U+FFFD without a word, so a Latin-1 corpus would run with mangled
 * prompts; this decoder refuses it and names the line and byte instead.
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from './errors.js';

const NEWLINE = 0x0a;

/** The bytes as text (a leading BOM dropped); an InputError at "<path>:<line>" on the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const at = firstInvalidByte(bytes);
    if (at === undefined) throw new InputError(path, 'expected UTF-8 text, got bytes that are not UTF-8', { cause: error });
    const lineStart = at === 0 ? 0 : bytes.lastIndexOf(NEWLINE, at - 1) + 1;
    const line = countNewlines(bytes, lineStart) + 1;
    const byte = `0x${(bytes[at] as number).toString(16).toUpperCase().padStart(2, '0')}`;
    throw new InputError(
      `${path}:${line}`,
      `expected UTF-8 text, got byte ${byte} at column ${at - lineStart + 1} (save the file as UTF-8)`,
      { cause: error },
    );
  }
}

/** Offset of the first byte that does not begin a valid UTF-8 sequence (only run on the error path). */
function firstInvalidByte(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i] as number);
    // isUtf8 also refuses what a lead byte alone cannot tell: overlong forms, surrogates, a cut-off end.
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return undefined;
}

/** Bytes in the sequence this lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === NEWLINE) count++;
  return count;
}
