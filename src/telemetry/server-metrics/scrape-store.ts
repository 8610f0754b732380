/**
 * The scrapes of one metrics URL, kept as one row of numbers per scrape against a shared series
 * index, so a page of 10,000 series costs 80 KB a scrape rather than 10,000 objects. Rows before
 * the last reported step are dropped (prune), so a long run holds only the scrapes still needed.
 */
import { familyOf, parseSampleLine, parseValue, readTypeLine, type ExpositionType, type ParsedExposition } from './exposition.js';

/** How a series moves between scrapes: counters (and histogram/summary parts) only grow, gauges go anywhere. */
export type SeriesKind = 'counter' | 'gauge';

export interface SeriesInfo {
  /** `name{a="1",b="2"}`, labels sorted: the series' identity and its key in `raw`. */
  readonly key: string;
  readonly name: string;
  /** Its family (`foo` for `foo_bucket`), the name itself when no `# TYPE` line names one. */
  readonly family: string;
  readonly type: ExpositionType;
  readonly kind: SeriesKind;
  readonly labels: Readonly<Record<string, string>>;
  /** A histogram bucket's upper bound (`le`), else null. */
  readonly le: number | null;
}

export interface ScrapeRow {
  readonly tMs: number;
  /** Value per series index; NaN where the scrape did not carry the series. Shorter than series when later series appeared. */
  readonly values: Float64Array;
}

/** What one page added: samples stored, lines that broke the grammar. */
export interface IngestCounts {
  readonly samples: number;
  readonly badLines: number;
  readonly firstBadLine: string | null;
}

export class ScrapeStore {
  private readonly index = new Map<string, number>();
  /** A series as the page wrote it (`name{labels}`, before the value) -> its id: a known series costs one lookup, no label parsing. */
  private readonly written = new Map<string, number>();
  private readonly types = new Map<string, ExpositionType>();
  /** The last page's sample lines in order: the next page is compared against it line by line. */
  private layout: readonly { readonly written: string; readonly id: number }[] = [];
  private readonly infos: SeriesInfo[] = [];
  private readonly rows: ScrapeRow[] = [];

  get series(): readonly SeriesInfo[] {
    return this.infos;
  }

  get scrapes(): readonly ScrapeRow[] {
    return this.rows;
  }

  /** Adds one parsed page taken at tMs (epoch ms); rows stay in time order. */
  ingest(tMs: number, parsed: ParsedExposition): void {
    const ids = parsed.samples.map((sample) => this.idFor(sample.name, sample.labels, parsed.types));
    this.pushRow(
      tMs,
      ids,
      parsed.samples.map((sample) => sample.value),
    );
  }

  /**
   * Parses a page straight into a row: the hot path of a scrape. Per line it finds where the
   * series ends (quote-aware), looks the text up, and reads the value; only a series seen for the
   * first time is parsed in full (parseSampleLine), so a 1 MB page costs a few milliseconds.
   */
  ingestText(tMs: number, text: string): IngestCounts {
    const ids: number[] = [];
    const values: number[] = [];
    const layout: { readonly written: string; readonly id: number }[] = [];
    let badLines = 0;
    let firstBadLine: string | null = null;
    const bad = (from: number, to: number): void => {
      badLines += 1;
      firstBadLine ??= text.slice(from, Math.min(to, from + 120));
    };
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const lineEnd = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      const from = start;
      start = end + 1;
      if (lineEnd === from) continue;
      if (text.charCodeAt(from) === HASH) {
        // Only "# TYPE" and "# EOF" matter; HELP lines (a third of a page) are not even cut out.
        const third = text.charCodeAt(from + 2);
        if (third === LETTER_T) readTypeLine(text.slice(from, lineEnd), this.types);
        else if (third === LETTER_E && text.slice(from, lineEnd) === '# EOF') break;
        continue;
      }
      // A server writes its series in the same order every time: the series at this position last
      // time is compared in place (no cut, no hash); only a different one is looked up.
      const expected = this.layout[layout.length];
      let seriesEnd: number;
      let id: number | undefined;
      if (expected !== undefined && text.startsWith(expected.written, from) && isBlank(text.charCodeAt(from + expected.written.length))) {
        seriesEnd = from + expected.written.length;
        id = expected.id;
        layout.push(expected);
      } else {
        seriesEnd = endOfSeries(text, from, lineEnd);
        if (seriesEnd < 0) {
          if (text.slice(from, lineEnd).trim() !== '') bad(from, lineEnd);
          continue;
        }
        const written = text.slice(from, seriesEnd);
        id = this.written.get(written);
        if (id === undefined) {
          const sample = parseSampleLine(text.slice(from, lineEnd));
          if (sample === null) {
            bad(from, lineEnd);
            continue;
          }
          id = this.idFor(sample.name, sample.labels, this.types);
          this.written.set(written, id);
        }
        layout.push({ written, id });
      }
      let v = seriesEnd;
      while (v < lineEnd && (text.charCodeAt(v) === SPACE || text.charCodeAt(v) === TAB)) v += 1;
      let w = v;
      while (w < lineEnd && text.charCodeAt(w) !== SPACE && text.charCodeAt(w) !== TAB) w += 1;
      const value = parseValue(text.slice(v, w));
      if (value === null) {
        bad(from, lineEnd);
        continue;
      }
      ids.push(id);
      values.push(value);
    }
    // A page of nothing but broken lines is not a scrape (the caller reports it as a fault).
    if (ids.length > 0 || badLines === 0) this.pushRow(tMs, ids, values);
    this.layout = layout;
    return { samples: ids.length, badLines, firstBadLine };
  }

  private idFor(name: string, labels: Readonly<Record<string, string>>, types: ReadonlyMap<string, ExpositionType>): number {
    const key = seriesKey(name, labels);
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.infos.length;
      this.index.set(key, id);
      this.infos.push(describeSeries(key, name, labels, types));
    }
    return id;
  }

  private pushRow(tMs: number, ids: readonly number[], values: readonly number[]): void {
    if (this.rows.length > 0 && this.rows[this.rows.length - 1]!.tMs > tMs) return; // out of order: a late answer after a newer one
    const row = new Float64Array(this.infos.length).fill(NaN);
    for (let i = 0; i < ids.length; i++) row[ids[i]!] = values[i]!;
    this.rows.push({ tMs, values: row });
  }

  /** Drops rows no longer needed for windows starting at or after tMs (the last one before tMs stays: it brackets the start). */
  pruneBefore(tMs: number): void {
    let keepFrom = 0;
    while (keepFrom + 1 < this.rows.length && this.rows[keepFrom + 1]!.tMs <= tMs) keepFrom += 1;
    if (keepFrom > 0) this.rows.splice(0, keepFrom);
  }
}

const CR = 13;
const LETTER_T = 84;
const LETTER_E = 69;
const HASH = 35;
const SPACE = 32;
const TAB = 9;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

function isBlank(ch: number): boolean {
  return ch === SPACE || ch === TAB;
}

/** Index just past a sample line's series (`name` or `name{...}`, quotes respected), or -1 when it has none. */
function endOfSeries(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const ch = text.charCodeAt(i);
    if (ch === OPEN_BRACE || ch === SPACE || ch === TAB) break;
    i += 1;
  }
  if (i === from || i >= to) return -1;
  if (text.charCodeAt(i) !== OPEN_BRACE) return i;
  let quoted = false;
  for (i += 1; i < to; i += 1) {
    const ch = text.charCodeAt(i);
    if (quoted) {
      if (ch === BACKSLASH) i += 1;
      else if (ch === QUOTE) quoted = false;
    } else if (ch === QUOTE) quoted = true;
    else if (ch === CLOSE_BRACE) return i + 1;
  }
  return -1;
}

/** The series' value in a row (NaN when absent). */
export function valueAt(row: ScrapeRow, id: number): number {
  return id < row.values.length ? row.values[id]! : NaN;
}

export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (names.length === 0) return name;
  names.sort();
  let key = `${name}{`;
  for (let i = 0; i < names.length; i++) key += `${i === 0 ? '' : ','}${names[i]!}="${escapeLabelValue(labels[names[i]!]!)}"`;
  return `${key}}`;
}

/** Backslash, newline and quote escaped; most values have none, and then no regex runs. */
function escapeLabelValue(value: string): string {
  if (!/[\\\n"]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function describeSeries(key: string, name: string, labels: Readonly<Record<string, string>>, types: ParsedExposition['types']): SeriesInfo {
  const typed = familyOf(name, types);
  const family = typed?.family ?? untypedFamily(name, labels);
  const type = typed?.type ?? untypedType(name, labels);
  const leText = labels.le;
  const isBucket =
    (type === 'histogram' && name.endsWith('_bucket')) || (typed === null && leText !== undefined && name.endsWith('_bucket'));
  const le = isBucket && leText !== undefined ? parseLe(leText) : null;
  return { key, name, family, type, kind: kindOf(name, type, labels), labels, le };
}

/** Without a `# TYPE` line: `_total` counts, `_bucket{le}` is a histogram, anything else is read as a gauge. */
function untypedType(name: string, labels: Readonly<Record<string, string>>): ExpositionType {
  if (name.endsWith('_bucket') && labels.le !== undefined) return 'histogram';
  // _sum and _count of an untyped histogram or summary only grow, like a counter.
  if (name.endsWith('_total') || name.endsWith('_count') || name.endsWith('_sum')) return 'counter';
  return 'untyped';
}

function untypedFamily(name: string, labels: Readonly<Record<string, string>>): string {
  if (name.endsWith('_bucket') && labels.le !== undefined) return name.slice(0, -'_bucket'.length);
  return name;
}

function kindOf(name: string, type: ExpositionType, labels: Readonly<Record<string, string>>): SeriesKind {
  if (type === 'counter') return 'counter';
  if (type === 'histogram') return 'counter'; // buckets, _sum and _count are all cumulative
  if (type === 'summary') return labels.quantile === undefined ? 'counter' : 'gauge';
  return 'gauge';
}

function parseLe(text: string): number | null {
  if (text === '+Inf' || text === 'Inf' || text === '+inf') return Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}
