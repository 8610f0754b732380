/**
 * The scrapes of one metrics URL, kept as one row of numbers per scrape against a shared series
 * index, so a page of 10,000 series costs 80 KB a scrape rather than 10,000 objects. Rows before
 * the last reported step are dropped (prune), so a long run holds only the scrapes still needed.
 */
import { familyOf, type ExpositionType, type ParsedExposition } from './exposition.js';

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

export class ScrapeStore {
  private readonly index = new Map<string, number>();
  private readonly infos: SeriesInfo[] = [];
  private readonly rows: ScrapeRow[] = [];

  get series(): readonly SeriesInfo[] {
    return this.infos;
  }

  get scrapes(): readonly ScrapeRow[] {
    return this.rows;
  }

  /** Adds one scrape taken at tMs (epoch ms); rows stay in time order. */
  ingest(tMs: number, parsed: ParsedExposition): void {
    const ids: number[] = new Array<number>(parsed.samples.length);
    parsed.samples.forEach((sample, i) => {
      const key = seriesKey(sample.name, sample.labels);
      let id = this.index.get(key);
      if (id === undefined) {
        id = this.infos.length;
        this.index.set(key, id);
        this.infos.push(describeSeries(key, sample.name, sample.labels, parsed.types));
      }
      ids[i] = id;
    });
    const values = new Float64Array(this.infos.length).fill(NaN);
    parsed.samples.forEach((sample, i) => {
      values[ids[i]!] = sample.value;
    });
    if (this.rows.length > 0 && this.rows[this.rows.length - 1]!.tMs > tMs) return; // out of order: a late answer after a newer one
    this.rows.push({ tMs, values });
  }

  /** Drops rows no longer needed for windows starting at or after tMs (the last one before tMs stays: it brackets the start). */
  pruneBefore(tMs: number): void {
    let keepFrom = 0;
    while (keepFrom + 1 < this.rows.length && this.rows[keepFrom + 1]!.tMs <= tMs) keepFrom += 1;
    if (keepFrom > 0) this.rows.splice(0, keepFrom);
  }
}

/** The series' value in a row (NaN when absent). */
export function valueAt(row: ScrapeRow, id: number): number {
  return id < row.values.length ? row.values[id]! : NaN;
}

export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (names.length === 0) return name;
  names.sort();
  return `${name}{${names.map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function describeSeries(key: string, name: string, labels: Readonly<Record<string, string>>, types: ParsedExposition['types']): SeriesInfo {
  const typed = familyOf(name, types);
  const family = typed?.family ?? untypedFamily(name, labels);
  const type = typed?.type ?? untypedType(name, labels);
  const leText = labels.le;
  const isBucket = (type === 'histogram' && name.endsWith('_bucket')) || (typed === null && leText !== undefined && name.endsWith('_bucket'));
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
