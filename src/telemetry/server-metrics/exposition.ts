/**
 * A parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text, written
 * against their specifications: `# TYPE` / `# HELP` / `# UNIT` / `# EOF` lines, samples with
 * labels (escapes \\, \" and \n in values), values such as `+Inf`, `-Inf`, `NaN` and `1.5e+06`,
 * an optional timestamp, and OpenMetrics exemplars (` # {...} value`), which are ignored. Pure and
 * single-pass: a 1 MB page is parsed in the scraping worker thread between scrapes.
 *
 * A line that breaks the grammar is counted and skipped, never thrown: one odd line from a server
 * must not cost the rest of its page.
 */

export type ExpositionType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ExpositionSample {
  /** The sample's own name (`foo_bucket`, `foo_total`), as written. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedExposition {
  readonly samples: readonly ExpositionSample[];
  /** `# TYPE` per family name (OpenMetrics `info`, `stateset`, `gaugehistogram` read as gauge/histogram). */
  readonly types: ReadonlyMap<string, ExpositionType>;
  /** Lines that broke the grammar (skipped). */
  readonly badLines: number;
  /** The first bad line (cut to 120 characters), for a warning. */
  readonly firstBadLine: string | null;
}

const TYPE_NAMES: Readonly<Record<string, ExpositionType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
  unknown: 'untyped',
  info: 'gauge',
  stateset: 'gauge',
  gaugehistogram: 'histogram',
};

/** Suffixes a sample carries beyond its family's name; longest first so `_bucket` wins over nothing. */
const FAMILY_SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_gcount', '_gsum', '_info'] as const;

export function parseExposition(text: string): ParsedExposition {
  const samples: ExpositionSample[] = [];
  const types = new Map<string, ExpositionType>();
  let badLines = 0;
  let firstBadLine: string | null = null;
  const bad = (line: string): void => {
    badLines += 1;
    firstBadLine ??= line.length > 120 ? `${line.slice(0, 117)}...` : line;
  };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (line === '# EOF') break;
      readComment(line, types);
      continue;
    }
    const sample = parseSampleLine(line);
    if (sample === null) bad(line);
    else samples.push(sample);
  }
  return { samples, types, badLines, firstBadLine };
}

function readComment(line: string, types: Map<string, ExpositionType>): void {
  readTypeLine(line, types);
}

/** "# TYPE name type" into `types`; HELP, UNIT and free comments carry nothing the numbers need. */
export function readTypeLine(line: string, types: Map<string, ExpositionType>): void {
  if (!line.startsWith('# TYPE ')) return;
  const nameEnd = line.indexOf(' ', 7);
  if (nameEnd < 0) return;
  const name = line.slice(7, nameEnd);
  const type = line.slice(nameEnd + 1).trim();
  if (name === '' || type === '') return;
  types.set(name, TYPE_NAMES[type.toLowerCase()] ?? 'untyped');
}

/** The family a sample belongs to, by its `# TYPE` line; null when none names it. */
export function familyOf(
  name: string,
  types: ReadonlyMap<string, ExpositionType>,
): { readonly family: string; readonly type: ExpositionType } | null {
  const exact = types.get(name);
  if (exact !== undefined) return { family: name, type: exact };
  for (const suffix of FAMILY_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const family = name.slice(0, -suffix.length);
    const type = types.get(family);
    if (type !== undefined) return { family, type };
  }
  return null;
}

/** [A-Za-z_:] by char code: a regex test per character made the first parse of a 1 MB page take half a second. */
function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 58;
}

/** [A-Za-z0-9_:] */
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}

/** One sample line, or null when it breaks the grammar. */
export function parseSampleLine(line: string): ExpositionSample | null {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i += 1;
  const nameStart = i;
  if (i >= line.length || !isNameStart(line.charCodeAt(i))) return null;
  while (i < line.length && isNameChar(line.charCodeAt(i))) i += 1;
  const name = line.slice(nameStart, i);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    const after = parseLabels(line, i + 1, labels);
    if (after < 0) return null;
    i = after;
  }
  if (line[i] !== ' ' && line[i] !== '\t') return null;
  while (line[i] === ' ' || line[i] === '\t') i += 1;
  let valueEnd = i;
  while (valueEnd < line.length && line[valueEnd] !== ' ' && line[valueEnd] !== '\t') valueEnd += 1;
  const value = parseValue(line.slice(i, valueEnd));
  if (value === null) return null;
  // What follows is a timestamp and/or an exemplar (" # {...} 1.0"); neither is used.
  const rest = line.slice(valueEnd).trim();
  if (rest !== '' && !rest.startsWith('#') && parseValue(rest.split(/\s+/)[0] ?? '') === null) return null;
  return { name, labels, value };
}

/** Labels from just after "{" into `labels`; the index after "}", or -1 when malformed. */
function parseLabels(line: string, from: number, labels: Record<string, string>): number {
  let i = from;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i += 1;
    if (i >= line.length) return -1;
    if (line[i] === '}') return i + 1;
    const keyStart = i;
    if (!isNameStart(line.charCodeAt(i)) || line[i] === ':') return -1;
    while (i < line.length && isNameChar(line.charCodeAt(i))) i += 1;
    const key = line.slice(keyStart, i);
    while (line[i] === ' ') i += 1;
    if (line[i] !== '=') return -1;
    i += 1;
    while (line[i] === ' ') i += 1;
    if (line[i] !== '"') return -1;
    i += 1;
    let value = '';
    let chunkStart = i;
    for (;;) {
      if (i >= line.length) return -1;
      const code = line.charCodeAt(i);
      if (code === 34) break; // "
      if (code === 92) {
        // a backslash escape
        value += line.slice(chunkStart, i);
        const next = line[i + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else if (next === undefined) return -1;
        else value += `\\${next}`; // 0.0.4: other escapes are kept as written
        i += 2;
        chunkStart = i;
        continue;
      }
      i += 1;
    }
    value += line.slice(chunkStart, i);
    i += 1;
    labels[key] = value;
    while (line[i] === ' ') i += 1;
    if (line[i] === ',') i += 1;
    else if (line[i] !== '}') return -1;
  }
}

/** A sample value: a Go-style float, +Inf, -Inf or NaN (any case); null otherwise. */
export function parseValue(raw: string): number | null {
  if (raw === '') return null;
  const first = raw.charCodeAt(0);
  // The common case, a plain decimal: straight to Number() (no lower-casing per sample).
  if (first >= 49 && first <= 57) {
    const value = Number(raw);
    return Number.isNaN(value) ? null : value;
  }
  const lower = raw.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  const value = Number(raw);
  // Number() also takes "0x1F" and " 1"; the format does not.
  if (Number.isNaN(value) || /^[+-]?0[xXbBoO]/.test(raw)) return null;
  return value;
}
