/**
 * Parser for `nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits]` lines, one at a time.
 * Takes any field order (from the header, or the query's order when there is none), values with
 * or without units, `[N/A]`-style placeholders (null), Active/Not Active, hex bitmasks, zone-less
 * local-time stamps and several GPUs per tick. Never throws on input: odd lines come back as
 * `garbage` or `device-error` for the caller to count.
 */
import { DEFAULT_GPU_QUERY_FIELDS, fieldSpecFor, type GpuColumnKey, type GpuFieldSpec } from './gpu-fields.js';
import { parseThrottleMask } from './throttle.js';
import type { GpuCsvLine, GpuSample, TimeZoneRule } from './types.js';

export interface GpuCsvParserOptions {
  /** Column names when the stream has no header (default: DEFAULT_GPU_QUERY_FIELDS). */
  readonly fields?: readonly string[];
  /** How zone-less stamps map to epoch ms (default: the host's local zone, as nvidia-smi prints). */
  readonly timeZone?: TimeZoneRule;
}

interface Column {
  readonly spec: GpuFieldSpec | undefined;
  readonly name: string;
  /** Unit from the header (`memory.used [MiB]`), used when the value has none. */
  readonly headerUnit: string | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const DEVICE_ERROR =
  /No devices were found|GPU is lost|fallen off the bus|Unable to determine the device handle|Failed to initialize NVML|NVIDIA-SMI has failed|Driver\/library version mismatch|Insufficient Permissions/i;
const STAMP = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const NUMBER_WITH_UNIT = /^(-?\d+(?:\.\d+)?)\s*([A-Za-z%]*)$/;
const HEADER_CELL = /^[a-z_][a-z0-9_.]*(\s*\[[^\]]*\])?$/i;
const BYTES_PER_UNIT: Readonly<Record<string, number>> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };

export class GpuCsvParser {
  private columns: readonly Column[];
  private readonly timeZone: TimeZoneRule;
  /** GPUs identified by uuid when the query has no index column. */
  private readonly indexByUuid = new Map<string, number>();

  constructor(options: GpuCsvParserOptions = {}) {
    this.columns = (options.fields ?? DEFAULT_GPU_QUERY_FIELDS).map(toColumn);
    this.timeZone = options.timeZone ?? { kind: 'local' };
  }

  /** The columns now in use (the query's, or the last header's) that the parser reads, by name. */
  knownColumns(): readonly { readonly name: string; readonly key: GpuColumnKey }[] {
    return this.columns.flatMap((column) => (column.spec === undefined ? [] : [{ name: column.name, key: column.spec.key }]));
  }

  /** `receivedAtMs` stamps the sample when the query has no timestamp column. */
  parseLine(rawLine: string, receivedAtMs = 0): GpuCsvLine {
    const line = rawLine.trim();
    if (line === '') return { kind: 'blank' };
    if (DEVICE_ERROR.test(line)) return { kind: 'device-error', message: line };
    const cells = line.split(',').map((cell) => cell.trim());
    if (isHeader(cells)) {
      this.columns = cells.map(toColumn);
      return { kind: 'header', fields: cells, unknownFields: this.columns.filter((c) => c.spec === undefined).map((c) => c.name) };
    }
    if (cells.length !== this.columns.length) {
      return { kind: 'garbage', line, why: `expected ${this.columns.length} columns, found ${cells.length}` };
    }
    return this.toSample(cells, line, receivedAtMs);
  }

  private toSample(cells: readonly string[], line: string, receivedAtMs: number): GpuCsvLine {
    const sample: Mutable<GpuSample> = {
      tMs: receivedAtMs,
      gpuIndex: -1,
      uuid: null,
      name: null,
      utilPct: null,
      memUtilPct: null,
      memUsedBytes: null,
      memTotalBytes: null,
      powerW: null,
      powerLimitW: null,
      tempC: null,
      smClockMHz: null,
      memClockMHz: null,
      throttleMask: null,
      pstate: null,
    };
    for (let i = 0; i < cells.length; i += 1) {
      const column = this.columns[i]!;
      if (column.spec === undefined) continue;
      const problem = this.assign(sample, column, column.spec.key, cells[i]!);
      if (problem !== null) return { kind: 'garbage', line, why: `${column.name}: ${problem}` };
    }
    if (sample.gpuIndex < 0) sample.gpuIndex = this.indexFor(sample.uuid);
    return { kind: 'sample', sample };
  }

  /** Fill one property; returns why the cell makes no sense, or null. */
  private assign(sample: Mutable<GpuSample>, column: Column, key: GpuColumnKey, cell: string): string | null {
    if (isPlaceholder(cell)) {
      return key === 'timestamp' || key === 'index' ? `'${cell}' where a value is required` : null;
    }
    switch (key) {
      case 'timestamp': {
        const tMs = parseStamp(cell, this.timeZone);
        if (tMs === null) return `'${cell}' is not a timestamp`;
        sample.tMs = tMs;
        return null;
      }
      case 'index': {
        if (!/^\d+$/.test(cell)) return `'${cell}' is not a GPU index`;
        sample.gpuIndex = Number(cell);
        return null;
      }
      case 'uuid':
      case 'name':
      case 'pstate':
        sample[key] = cell;
        return null;
      case 'throttleMask': {
        const mask = parseThrottleMask(cell);
        if (mask === null) return `'${cell}' is not a bitmask`;
        sample.throttleMask = (sample.throttleMask ?? 0) | mask;
        return null;
      }
      case 'throttleBit': {
        const active = parseActive(cell);
        if (active === null) return `'${cell}' is neither Active nor Not Active`;
        sample.throttleMask = (sample.throttleMask ?? 0) | (active ? (column.spec?.bit ?? 0) : 0);
        return null;
      }
      case 'memUsedBytes':
      case 'memTotalBytes': {
        const parsed = parseNumberWithUnit(cell);
        if (parsed === null) return `'${cell}' is not a number`;
        const unit = (parsed.unit || column.headerUnit || 'MiB').toLowerCase();
        const factor = BYTES_PER_UNIT[unit];
        if (factor === undefined) return `unknown memory unit '${unit}'`;
        sample[key] = Math.round(parsed.value * factor);
        return null;
      }
      default: {
        const parsed = parseNumberWithUnit(cell);
        if (parsed === null) return `'${cell}' is not a number`;
        sample[key] = parsed.value;
        return null;
      }
    }
  }

  private indexFor(uuid: string | null): number {
    if (uuid === null) return 0;
    let index = this.indexByUuid.get(uuid);
    if (index === undefined) {
      index = this.indexByUuid.size;
      this.indexByUuid.set(uuid, index);
    }
    return index;
  }
}

function toColumn(headerCell: string): Column {
  const unit = /\[([^\]]*)\]/.exec(headerCell);
  const name = headerCell.replace(/\[[^\]]*\]/, '').trim();
  return { spec: fieldSpecFor(name), name, headerUnit: unit === null ? null : unit[1]!.trim() };
}

function isHeader(cells: readonly string[]): boolean {
  return (
    cells.every((cell) => HEADER_CELL.test(cell) && !/^\d/.test(cell)) &&
    cells.some((cell) => fieldSpecFor(cell) !== undefined && !isActiveWord(cell))
  );
}

function isActiveWord(cell: string): boolean {
  return /^(not )?active$/i.test(cell);
}

/** `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[GPU requires reset]`, bare `N/A`. */
function isPlaceholder(cell: string): boolean {
  return cell.startsWith('[') || cell === 'N/A' || cell === '';
}

function parseActive(cell: string): boolean | null {
  if (/^active$/i.test(cell)) return true;
  if (/^not active$/i.test(cell)) return false;
  return null;
}

function parseNumberWithUnit(cell: string): { value: number; unit: string } | null {
  const match = NUMBER_WITH_UNIT.exec(cell);
  return match === null ? null : { value: Number(match[1]), unit: match[2]! };
}

/** `2026/11/26 18:48:38.682` (zone-less, nvidia-smi's form) or an ISO 8601 stamp with a zone. */
export function parseStamp(text: string, timeZone: TimeZoneRule): number | null {
  const match = STAMP.exec(text);
  if (match === null) {
    if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) return null;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] === undefined ? 0 : Number(`0.${match[7]}`) * 1000;
  if (timeZone.kind === 'offset') return Date.UTC(y, mo - 1, d, h, mi, s) + fraction - timeZone.offsetMinutes * 60_000;
  return new Date(y, mo - 1, d, h, mi, s).getTime() + fraction;
}
