import { describe, expect, it } from 'vitest';
import {
  BufferedJsonDecoder,
  checkEach,
  jsonPath,
  parseJsonText,
  readArrayOfLength,
  readNonNegative,
  readNumber,
  readObject,
  readOptionalNonNegative,
  readString,
  ShapeMismatch,
  valueAt,
  type JsonBodyReader,
} from '../../../../src/targets/http/protocols/json-body.js';
import { decodePieces, decodeWhole, piecesOf } from './chunks.js';

function mismatchOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ShapeMismatch) return error.message;
    throw error;
  }
  throw new Error('expected a ShapeMismatch');
}

describe('valueAt', () => {
  const body = { a: { b: [10, { c: 'x' }] }, n: null };

  it('walks objects and indexes arrays with digit segments', () => {
    expect(valueAt(body, jsonPath('a.b.0'))).toBe(10);
    expect(valueAt(body, jsonPath('a.b.1.c'))).toBe('x');
    expect(valueAt(body, jsonPath(''))).toBe(body);
    expect(valueAt(body, jsonPath('n'))).toBeNull();
  });

  it('is undefined for absent steps, non-digit array segments and inherited properties', () => {
    expect(valueAt(body, jsonPath('a.z'))).toBeUndefined();
    expect(valueAt(body, jsonPath('a.b.5'))).toBeUndefined();
    expect(valueAt(body, jsonPath('a.b.length'))).toBeUndefined();
    expect(valueAt(body, jsonPath('n.x'))).toBeUndefined();
    expect(valueAt(body, jsonPath('constructor'))).toBeUndefined();
    expect(valueAt('text', jsonPath('length'))).toBeUndefined();
  });
});

describe('readers', () => {
  const body = { time: 1.5, negative: -2, label: 'x', list: [1, 2], nested: { ok: true }, nothing: null };

  it('return typed values', () => {
    expect(readNumber(body, jsonPath('time'))).toBe(1.5);
    expect(readNonNegative(body, jsonPath('time'))).toBe(1.5);
    expect(readString(body, jsonPath('label'))).toBe('x');
    expect(readArrayOfLength(body, jsonPath('list'), 2)).toEqual([1, 2]);
    expect(readObject(body, jsonPath('nested'))).toEqual({ ok: true });
    expect(readOptionalNonNegative(body, jsonPath('absent'))).toBeNull();
    expect(readOptionalNonNegative(body, jsonPath('time'))).toBe(1.5);
  });

  it('name the field and what is wrong with it', () => {
    expect(mismatchOf(() => readNumber(body, jsonPath('metadata.processing_time')))).toBe('metadata.processing_time is missing');
    expect(mismatchOf(() => readNumber(body, jsonPath('label')))).toBe('label is not a number (got string)');
    expect(mismatchOf(() => readNonNegative(body, jsonPath('negative')))).toBe('negative is negative (-2)');
    expect(mismatchOf(() => readString(body, jsonPath('nothing')))).toBe('nothing is not a string (got null)');
    expect(mismatchOf(() => readObject(body, jsonPath('list')))).toBe('list is not an object (got array)');
    expect(mismatchOf(() => readObject([], jsonPath('')))).toBe('body is not an object (got array)');
    expect(mismatchOf(() => readArrayOfLength(body, jsonPath('list'), 3))).toBe('list has 2 entries for 3 texts');
    expect(mismatchOf(() => readArrayOfLength({ r: [1] }, jsonPath('r'), 1 + 1))).toBe('r has 1 entry for 2 texts');
    expect(mismatchOf(() => readOptionalNonNegative(body, jsonPath('label')))).toBe('label is not a number (got string)');
  });

  it('checkEach prefixes the element path', () => {
    const results = [{ intent: 'a' }, { intent: 'b' }, { label: 'c' }];
    const check = (element: unknown) => void readString(element, jsonPath('intent'));
    expect(mismatchOf(() => checkEach(results, jsonPath('results'), check))).toBe('results.2.intent is missing');
    expect(() => checkEach([], jsonPath('results'), check)).not.toThrow();
  });
});

describe('parseJsonText', () => {
  it('classifies empty and invalid bodies as malformed_body', () => {
    expect(parseJsonText('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText(' \n')).toMatchObject({ ok: false, errorClass: 'malformed_body', detail: 'empty body where JSON was expected' });
    expect(parseJsonText('<html>502 Bad Gateway</html>')).toEqual({
      ok: false,
      errorClass: 'malformed_body',
      detail: 'invalid JSON (28 chars, unexpected token): <html>502 Bad Gateway</html>',
    });
    expect(parseJsonText('{"a":\n')).toMatchObject({ detail: 'invalid JSON (6 chars, Unexpected end of JSON input): {"a":\n' });
  });

  it("quotes the body whole, never V8's cut window of it (a secret cut there would escape redaction)", () => {
    const token = 'tok-0123456789abcdefghijklmnopqrstuvwxyz';
    const body = `{"error": ${token}}`;
    const bad = parseJsonText(body);
    // V8 says: Unexpected token 't', "{"error": tok-012"... is not valid JSON
    expect(bad).toEqual({
      ok: false,
      errorClass: 'malformed_body',
      detail: `invalid JSON (${body.length} chars, unexpected token): ${body}`,
    });
  });
});

describe('BufferedJsonDecoder', () => {
  const readCount: JsonBodyReader = (body, items) => {
    readArrayOfLength(body, jsonPath('results'), items);
    return { ok: true, serverMs: readNonNegative(body, jsonPath('ms')) };
  };

  it('parses once at finish, whatever the chunking (split UTF-8 included)', () => {
    const body = Buffer.from(JSON.stringify({ results: ['日本', '🚀'], ms: 4.25 }), 'utf8');
    for (const size of [1, 2, 3, 5, body.length]) {
      expect(decodePieces(new BufferedJsonDecoder(readCount, 2), piecesOf(body, size))).toEqual({ ok: true, serverMs: 4.25 });
    }
  });

  it('returns protocol_mismatch for the wrong shape and malformed_body for no or bad JSON', () => {
    expect(decodeWhole(new BufferedJsonDecoder(readCount, 3), { results: [1, 2], ms: 1 })).toEqual({
      ok: false,
      errorClass: 'protocol_mismatch',
      detail: 'results has 2 entries for 3 texts',
    });
    expect(decodePieces(new BufferedJsonDecoder(readCount, 1), [])).toMatchObject({ ok: false, errorClass: 'malformed_body' });
    expect(decodeWhole(new BufferedJsonDecoder(readCount, 1), '{"results": [1], "ms": ')).toMatchObject({
      ok: false,
      errorClass: 'malformed_body',
    });
  });

  it('lets errors other than ShapeMismatch through (a bug is not a server fault)', () => {
    const buggy: JsonBodyReader = () => {
      throw new TypeError('bug');
    };
    expect(() => decodeWhole(new BufferedJsonDecoder(buggy, 1), {})).toThrow(TypeError);
  });
});
