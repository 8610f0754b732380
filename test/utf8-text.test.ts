import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { decodeUtf8 } from '../src/utf8-text.js';

function refused(bytes: Uint8Array): InputError {
  try {
    decodeUtf8(bytes, 'c.jsonl');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const bytesOf = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

describe('decodeUtf8', () => {
  it('decodes UTF-8 (multi-byte characters included) and drops a leading BOM', () => {
    expect(decodeUtf8(bytesOf('café ☕ 𝄞\nnext'), 'c.jsonl')).toBe('café ☕ 𝄞\nnext');
    expect(decodeUtf8(bytesOf([0xef, 0xbb, 0xbf], '{"text":"a"}'), 'c.jsonl')).toBe('{"text":"a"}');
  });

  it('a 0xFF byte on line 3 is an error at file:3 naming the byte and its column, not a U+FFFD', () => {
    const error = refused(bytesOf('{"text":"one"}\n{"text":"two"}\n{"text":"th', [0xff], 'ree"}\n'));
    expect(error.where).toBe('c.jsonl:3');
    expect(error.message).toBe('c.jsonl:3: expected UTF-8 text, got byte 0xFF at column 12 (save the file as UTF-8)');
  });

  it.each([
    ['a Latin-1 é (a lead byte followed by ASCII)', bytesOf('{"text":"caf', [0xe9], ' au lait"}'), 1, '0xE9 at column 13'],
    ['a stray continuation byte', bytesOf('ok\n', [0x80]), 2, '0x80 at column 1'],
    ['an overlong encoding of "/"', bytesOf('a\nb\n', [0xc0, 0xaf]), 3, '0xC0 at column 1'],
    ['an encoded surrogate', bytesOf('x', [0xed, 0xa0, 0x80]), 1, '0xED at column 2'],
    ['a sequence cut off at the end of the file', bytesOf('line one\nline two ', [0xe2, 0x98]), 2, '0xE2 at column 10'],
    ['a bad first byte', bytesOf([0xfe], 'rest'), 1, '0xFE at column 1'],
  ])('%s: line %i, %s', (_name, bytes, line, at) => {
    const error = refused(bytes);
    expect(error.where).toBe(`c.jsonl:${line}`);
    expect(error.message).toContain(`got byte ${at}`);
  });
});
