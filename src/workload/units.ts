/**
 * Units as written in workloads: durations ("500ms", "10s", "1.5m", "1h", or a bare number of ms)
 * and ratios ("1%" or 0.01). Internally durations are float ms and ratios 0..1.
 */
import { maskUrlCredentials, maskUrlValue } from '../url-credentials.js';

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const satisfies Record<string, number>;
type DurationUnit = keyof typeof DURATION_UNITS_MS;

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

/** Milliseconds for a duration string or number, or undefined when it is not one (sign not checked here). */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? 'ms') as DurationUnit;
  return Number(match[1]) * DURATION_UNITS_MS[unit];
}

/** A ratio from "1%" (percent) or 0.01 / "0.01" (fraction), or undefined when it is not one. */
export function parseRatio(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const percent = text.endsWith('%');
  const body = percent ? text.slice(0, -1).trim() : text;
  if (!/^-?\d+(?:\.\d+)?$/.test(body)) return undefined;
  const number = Number(body);
  return percent ? number / 100 : number;
}

/**
 * How a value found in a workload is quoted in messages: `"8"`, `0`, `a list`, `a mapping`. URL
 * credentials are masked before the value is cut, so a cut cannot leave half a password showing.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return `a list (${maskUrlCredentials(JSON.stringify(value)).slice(0, 40)})`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const shown = maskUrlValue(value);
    return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown);
  }
  return String(value);
}

const BYTE_UNITS = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const satisfies Record<string, number>;
type ByteUnit = keyof typeof BYTE_UNITS;
const BYTES_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?\s*$/;

/** Whole bytes for "16MiB", "512KB", "1000" or a number, or undefined when it is not one. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = BYTES_PATTERN.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? 'B') as ByteUnit;
  return Math.floor(Number(match[1]) * BYTE_UNITS[unit]);
}
