/**
 * The `--query-gpu` fields pipebench reads, the names nvidia-smi may print for each (the header
 * carries the canonical name, e.g. `clocks.current.sm` for `clocks.sm`), and the check against
 * `nvidia-smi --help-query-gpu` so an older or newer driver is never asked for a field it lacks.
 */
import type { GpuSample } from './types.js';
import type { FieldSelection } from '../core/report/telemetry.js';

/** The GpuSample property a column fills; `throttleBit` columns are Active/Not Active per reason. */
export type GpuColumnKey = Exclude<keyof GpuSample, 'tMs' | 'gpuIndex'> | 'timestamp' | 'index' | 'throttleBit';

export interface GpuFieldSpec {
  readonly key: GpuColumnKey;
  /** Every name nvidia-smi knows the field by; the first is the one we ask for. */
  readonly names: readonly string[];
  /** For per-reason throttle columns: the nvml bit they stand for. */
  readonly bit?: number;
}

const eventReason = (reason: string, bit: number): GpuFieldSpec => ({
  key: 'throttleBit',
  names: [`clocks_event_reasons.${reason}`, `clocks_throttle_reasons.${reason}`],
  bit,
});

/** Every column the parser understands, asked for or not. */
export const GPU_FIELD_SPECS: readonly GpuFieldSpec[] = [
  { key: 'timestamp', names: ['timestamp'] },
  { key: 'index', names: ['index'] },
  { key: 'uuid', names: ['uuid', 'gpu_uuid'] },
  { key: 'name', names: ['name', 'gpu_name'] },
  { key: 'utilPct', names: ['utilization.gpu'] },
  { key: 'memUtilPct', names: ['utilization.memory'] },
  { key: 'memUsedBytes', names: ['memory.used'] },
  { key: 'memTotalBytes', names: ['memory.total'] },
  { key: 'powerW', names: ['power.draw', 'power.draw.instant', 'gpu.power.draw.instant'] },
  { key: 'powerLimitW', names: ['power.limit', 'gpu.power.requested_limit', 'enforced.power.limit', 'gpu.power.current_limit'] },
  { key: 'tempC', names: ['temperature.gpu'] },
  { key: 'smClockMHz', names: ['clocks.sm', 'clocks.current.sm'] },
  { key: 'memClockMHz', names: ['clocks.mem', 'clocks.current.memory'] },
  { key: 'throttleMask', names: ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'] },
  { key: 'pstate', names: ['pstate'] },
  eventReason('gpu_idle', 0x1),
  eventReason('applications_clocks_setting', 0x2),
  eventReason('sw_power_cap', 0x4),
  eventReason('hw_slowdown', 0x8),
  eventReason('sync_boost', 0x10),
  eventReason('sw_thermal_slowdown', 0x20),
  eventReason('hw_thermal_slowdown', 0x40),
  eventReason('hw_power_brake_slowdown', 0x80),
];

/** What pipebench asks for: only fields the summaries use (sampling costs driver CPU per field). */
export const DEFAULT_GPU_QUERY_FIELDS: readonly string[] = [
  'timestamp',
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'utilization.memory',
  'memory.used',
  'memory.total',
  'power.draw',
  'power.limit',
  'temperature.gpu',
  'clocks.sm',
  'clocks.mem',
  'clocks_event_reasons.active',
  'pstate',
];

/** Renames across driver generations: [newer prefix, older prefix]. */
const FIELD_RENAMES: readonly (readonly [string, string])[] = [['clocks_event_reasons.', 'clocks_throttle_reasons.']];

const SPEC_BY_NAME: ReadonlyMap<string, GpuFieldSpec> = new Map(
  GPU_FIELD_SPECS.flatMap((spec) => spec.names.map((name) => [name, spec] as const)),
);

/** The column a header or query name fills; units in brackets (`memory.used [MiB]`) are ignored. */
export function fieldSpecFor(headerName: string): GpuFieldSpec | undefined {
  const bracket = headerName.indexOf('[');
  const name = (bracket >= 0 ? headerName.slice(0, bracket) : headerName).trim().toLowerCase();
  return SPEC_BY_NAME.get(name);
}

/** The names a `--help-query-gpu` text lists: each entry starts a line with `"name"` or `"a" or "b"`. */
export function knownQueryFields(helpText: string): ReadonlySet<string> {
  const known = new Set<string>();
  for (const line of helpText.split('\n')) {
    if (!line.startsWith('"')) continue;
    const entry = /^"([^"]+)"((?:\s+or\s+"[^"]+")*)\s*$/.exec(line.trimEnd());
    if (entry === null) continue;
    known.add(entry[1]!);
    for (const alias of (entry[2] ?? '').matchAll(/"([^"]+)"/g)) known.add(alias[1]!);
  }
  return known;
}

function renamedAlternatives(field: string): string[] {
  const alternatives: string[] = [];
  for (const [newer, older] of FIELD_RENAMES) {
    if (field.startsWith(newer)) alternatives.push(older + field.slice(newer.length));
    if (field.startsWith(older)) alternatives.push(newer + field.slice(older.length));
  }
  return alternatives;
}

/**
 * Keep the wanted fields this driver knows, swap renamed ones for the name it knows, drop the rest.
 * A help text that lists nothing recognisable keeps the wanted list as is (nvidia-smi will say).
 */
export function selectSupportedFields(helpText: string, wanted: readonly string[] = DEFAULT_GPU_QUERY_FIELDS): FieldSelection {
  const known = knownQueryFields(helpText);
  if (known.size === 0) return { fields: [...wanted], dropped: [], renamed: [] };
  const fields: string[] = [];
  const dropped: string[] = [];
  const renamed: { from: string; to: string }[] = [];
  for (const field of wanted) {
    if (known.has(field)) {
      fields.push(field);
      continue;
    }
    const alternative = renamedAlternatives(field).find((name) => known.has(name));
    if (alternative === undefined) {
      dropped.push(field);
    } else {
      fields.push(alternative);
      renamed.push({ from: field, to: alternative });
    }
  }
  return { fields, dropped, renamed };
}
