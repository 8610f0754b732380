/**
 * What every JSON-speaking protocol repeats: collect a response's chunks, parse once at finish,
 * tell invalid JSON (malformed_body) from valid JSON of the wrong shape (protocol_mismatch), and
 * read typed values at dotted paths with one-line details that name the field.
 *
 * Readers throw ShapeMismatch; BufferedJsonDecoder turns it into a DecodedError, so a protocol's
 * read function is straight-line code without an `if` per field.
 */
import type { Decoded, DecodedError, DecodedOk, ResponseDecoder } from '../protocol.js';

/** A dotted path ("metadata.processing_time", "outputs.0.data"), split once when a protocol is built. */
export interface JsonPath {
  readonly text: string;
  readonly segments: readonly string[];
}

/** Splits a dotted path; digit-only segments index arrays. "" is the body itself. */
export function jsonPath(text: string): JsonPath {
  return { text, segments: text === '' ? [] : text.split('.') };
}

/** Valid JSON of the wrong shape; `path` names the field ("" = the body), `problem` says what is wrong. */
export class ShapeMismatch extends Error {
  readonly path: string;
  readonly problem: string;
  constructor(path: string, problem: string) {
    super(`${path === '' ? 'body' : path} ${problem}`);
    this.name = 'ShapeMismatch';
    this.path = path;
    this.problem = problem;
  }

  /** The same mismatch seen from a containing value, e.g. "intent is missing" inside results[2]. */
  within(prefix: string): ShapeMismatch {
    return new ShapeMismatch(this.path === '' ? prefix : `${prefix}.${this.path}`, this.problem);
  }
}

const DIGITS = /^\d+$/;

/** The value at `path`, or undefined when any step is absent (never reads inherited properties). */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let current: unknown = root;
  for (const segment of path.segments) {
    if (Array.isArray(current)) {
      if (!DIGITS.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** JSON's type names, for details such as "is not a number (got string)". */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function present(root: unknown, path: JsonPath): unknown {
  const value = valueAt(root, path);
  if (value === undefined) throw new ShapeMismatch(path.text, 'is missing');
  return value;
}

function wrongType(path: JsonPath, expected: string, value: unknown): ShapeMismatch {
  return new ShapeMismatch(path.text, `is not ${expected} (got ${jsonTypeOf(value)})`);
}

export function readNumber(root: unknown, path: JsonPath): number {
  const value = present(root, path);
  if (typeof value !== 'number') throw wrongType(path, 'a number', value);
  return value;
}

/** A duration or count: a number >= 0. */
export function readNonNegative(root: unknown, path: JsonPath): number {
  const value = readNumber(root, path);
  if (value < 0) throw new ShapeMismatch(path.text, `is negative (${value})`);
  return value;
}

/** readNonNegative when the field is there; null when it is absent. */
export function readOptionalNonNegative(root: unknown, path: JsonPath): number | null {
  return valueAt(root, path) === undefined ? null : readNonNegative(root, path);
}

export function readString(root: unknown, path: JsonPath): string {
  const value = present(root, path);
  if (typeof value !== 'string') throw wrongType(path, 'a string', value);
  return value;
}

export function readArray(root: unknown, path: JsonPath): readonly unknown[] {
  const value = present(root, path);
  if (!Array.isArray(value)) throw wrongType(path, 'an array', value);
  return value;
}

export function readObject(root: unknown, path: JsonPath): object {
  const value = present(root, path);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(path, 'an object', value);
  return value;
}

/** The array at `path`, which must hold exactly one entry per text sent. */
export function readArrayOfLength(root: unknown, path: JsonPath, items: number): readonly unknown[] {
  const array = readArray(root, path);
  if (array.length !== items) {
    throw new ShapeMismatch(
      path.text,
      `has ${array.length} ${array.length === 1 ? 'entry' : 'entries'} for ${items} ${items === 1 ? 'text' : 'texts'}`,
    );
  }
  return array;
}

/** Runs `check` on every element; a mismatch inside is reported as "<path>.<index>.<field> ...". */
export function checkEach(array: readonly unknown[], path: JsonPath, check: (element: unknown) => void): void {
  for (let index = 0; index < array.length; index++) {
    try {
      check(array[index]);
    } catch (error) {
      if (error instanceof ShapeMismatch) throw error.within(`${path.text}.${index}`);
      throw error;
    }
  }
}

export function protocolMismatch(detail: string): DecodedError {
  return { ok: false, errorClass: 'protocol_mismatch', detail };
}

export function malformedBody(detail: string): DecodedError {
  return { ok: false, errorClass: 'malformed_body', detail };
}

const DETAIL_MAX_CHARS = 160;

/**
 * First line of a message we wrote (field paths, counts), cut to a length a warning can carry.
 * Never for server text: that is quoted whole and cut only after redaction (SecretRedactor.excerpt).
 */
export function oneLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > DETAIL_MAX_CHARS ? `${line.slice(0, DETAIL_MAX_CHARS)}...` : line;
}

export type ParsedJson = { readonly ok: true; readonly value: unknown } | DecodedError;

/**
 * Parses a whole body; invalid or empty JSON is malformed_body, its detail quoting the body whole.
 * V8's own message quotes a window of the text ("Unexpected token 'x', "..." is not valid JSON"),
 * cut before any redaction could see it, so that part of the message is dropped.
 */
export function parseJsonText(text: string): ParsedJson {
  if (text.trim() === '') return malformedBody('empty body where JSON was expected');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return malformedBody(`invalid JSON (${text.length} chars, ${jsonSyntaxProblem(error)}): ${text}`);
  }
}

/** "Unexpected end of JSON input", "Expected ',' or '}' ... at position 12", "unexpected token": never a piece of the text. */
function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.endsWith('is not valid JSON')) return message.startsWith('Unexpected token') ? 'unexpected token' : 'not valid JSON';
  return oneLine(message);
}

/** Runs a protocol's read function, turning ShapeMismatch into protocol_mismatch. */
export function readShape<A>(read: (body: unknown, arg: A) => DecodedOk, body: unknown, arg: A): Decoded {
  try {
    return read(body, arg);
  } catch (error) {
    if (error instanceof ShapeMismatch) return protocolMismatch(oneLine(error.message));
    throw error;
  }
}

/**
 * Reads a body from a JSON object: `read` gets the parsed body and the number of texts sent and
 * returns what it found, throwing ShapeMismatch (through the readers above) when the shape is wrong.
 */
export type JsonBodyReader = (body: unknown, items: number) => DecodedOk;

/** A non-streaming decoder: keeps the chunks, concatenates once and parses at finish. */
export class BufferedJsonDecoder implements ResponseDecoder {
  private readonly chunks: Buffer[] = [];
  private readonly read: JsonBodyReader;
  private readonly items: number;

  constructor(read: JsonBodyReader, items: number) {
    this.read = read;
    this.items = items;
  }

  onData(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  finish(): Decoded {
    const bytes = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const parsed = parseJsonText(bytes.toString('utf8'));
    if (!parsed.ok) return parsed;
    return readShape(this.read, parsed.value, this.items);
  }
}
