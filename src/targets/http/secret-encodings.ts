/**
 * The spellings a server may echo a secret in. A secret becomes a regular expression in which every
 * character may appear raw, JSON-escaped (\" \\ \/ \n \u00e9), percent-encoded (%22, %C3%A9, "+"
 * for a space) or HTML-escaped (&quot; &#34; &#x22;), or JSON-escaped and then escaped again: as
 * JSON (a JSON body quoted in another JSON string), as HTML (an error page showing JSON) or
 * percent-encoded (JSON carried in a URL). Base64 adds whole new texts: the secret's own base64 at
 * each of the three byte offsets it can sit at inside a longer blob (Basic auth's base64 of
 * user:password holds the password at any offset).
 *
 * Letters and digits are never escaped by these encoders, so a token made of them stays a plain
 * string and matching it costs what a plain search costs. Matching ignores case (hex digits come in
 * either case); masking a case variant of a secret as well costs nothing.
 */

/** A piece of a regular expression and the longest text it can match. */
export interface EchoPattern {
  readonly source: string;
  readonly maxChars: number;
}

/** The flags an EchoPattern's source is meant for. */
export const ECHO_PATTERN_FLAGS = 'gi';

/** Other spellings of one character (a code point) in one encoding; the character itself is not listed. */
type Encoding = (char: string) => readonly string[];

const PLAIN = /^[A-Za-z0-9]$/;

const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** JSON string escaping: a short escape, and \uXXXX for anything not a letter or digit. */
const json: Encoding = (char) => {
  if (PLAIN.test(char)) return [];
  const unicode = [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  const short = JSON_SHORT_ESCAPES[char];
  return short === undefined ? [unicode] : [short, unicode];
};

/** Percent-encoding of each UTF-8 byte, and "+" for a space (HTML forms). */
const url: Encoding = (char) => {
  if (PLAIN.test(char)) return [];
  const bytes = [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  return char === ' ' ? ['+', bytes] : [bytes];
};

const HTML_NAMED: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;', '&#039;'],
};

/** HTML character references: named ones, decimal and hex. */
const html: Encoding = (char) => {
  if (PLAIN.test(char)) return [];
  const codePoint = char.codePointAt(0) as number;
  return [...(HTML_NAMED[char] ?? []), `&#${codePoint};`, `&#x${codePoint.toString(16)};`];
};

/** Each encoding alone, then JSON escaping written again by each (JSON in JSON, in HTML, in a URL). */
const SINGLE: readonly Encoding[] = [json, url, html];
const LAYERED: readonly (readonly [inner: Encoding, outer: Encoding])[] = [
  [json, json],
  [json, html],
  [json, url],
];

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function literal(text: string): EchoPattern {
  return { source: text.replace(REGEX_SPECIAL, '\\$&'), maxChars: text.length };
}

function anyOf(patterns: readonly EchoPattern[]): EchoPattern {
  const unique = [...new Map(patterns.map((p) => [p.source, p])).values()];
  if (unique.length === 1) return unique[0] as EchoPattern;
  return { source: `(?:${unique.map((p) => p.source).join('|')})`, maxChars: Math.max(...unique.map((p) => p.maxChars)) };
}

function sequence(patterns: readonly EchoPattern[]): EchoPattern {
  return { source: patterns.map((p) => p.source).join(''), maxChars: patterns.reduce((sum, p) => sum + p.maxChars, 0) };
}

/** A text with each character raw or in `encoding`. */
function encodedAgain(text: string, encoding: Encoding): EchoPattern {
  return sequence([...text].map((char) => anyOf([literal(char), ...encoding(char).map(literal)])));
}

const charPatterns = new Map<string, EchoPattern>();

/** One character in any of the spellings above. */
function charPattern(char: string): EchoPattern {
  let pattern = charPatterns.get(char);
  if (pattern === undefined) {
    const spellings: EchoPattern[] = [literal(char), ...SINGLE.flatMap((encoding) => encoding(char).map(literal))];
    for (const [inner, outer] of LAYERED) spellings.push(...inner(char).map((spelled) => encodedAgain(spelled, outer)));
    pattern = anyOf(spellings);
    charPatterns.set(char, pattern);
  }
  return pattern;
}

/** A text in any mix of the spellings above, character by character. */
export function echoPattern(text: string): EchoPattern {
  return sequence([...text].map(charPattern));
}

/** Base64 texts shorter than this are left out: a few base64 characters match too much unrelated text. */
export const MIN_BASE64_CHARS = 8;

/** Characters of a base64 group that depend only on bytes after `offset` unknown ones (offset 0, 1, 2). */
const FIRST_KNOWN_CHAR = [0, 2, 3] as const;

/**
 * The base64 (standard and URL alphabets) a secret always produces inside a longer base64 blob,
 * for each byte offset modulo 3 it may start at: the characters that depend only on its own bytes.
 * Offset 0 also gives its whole base64, padding included.
 */
export function base64Texts(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const texts = new Set<string>([bytes.toString('base64')]);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const total = offset + bytes.length;
    // Whole groups of 3 bytes, then the characters of a last partial group set by its known bits alone.
    const knownEnd = Math.floor(total / 3) * 4 + Math.floor(((total % 3) * 8) / 6);
    texts.add(encoded.slice(FIRST_KNOWN_CHAR[offset], knownEnd));
  }
  const all = [...texts].flatMap((text) => [text, text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]);
  return [...new Set(all)].filter((text) => text.length >= MIN_BASE64_CHARS);
}
