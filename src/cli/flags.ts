/** Flag value parsers: each error names the flag and what it expected (exit 2 via InputError). */
import { InputError } from '../errors.js';

export function parseIntFlag(flag: string, raw: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw);
  if (!/^\s*-?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(flag, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function parseIntListFlag(flag: string, raw: string, min = 1, max = Number.MAX_SAFE_INTEGER): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new InputError(flag, `expected a comma-separated list of integers such as "1,4,16", got "${raw}"`);
  }
  return parts.map((p) => parseIntFlag(flag, p, min, max));
}

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const satisfies Record<string, number>;

/** "500ms", "10s", "1.5m", "2h", or a bare number of milliseconds. */
export function parseDurationFlag(flag: string, raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw);
  const amount = match ? Number(match[1]) : NaN;
  if (!match || !(amount > 0)) {
    throw new InputError(flag, `expected a positive duration such as "500ms", "10s" or "2m", got "${raw}"`);
  }
  const unit = (match[2] ?? 'ms') as keyof typeof DURATION_UNITS_MS;
  return amount * DURATION_UNITS_MS[unit];
}

/** "1%" or "0.01". */
export function parseRatioFlag(flag: string, raw: string): number {
  const percent = raw.trim().endsWith('%');
  const value = Number(percent ? raw.trim().slice(0, -1) : raw);
  const ratio = percent ? value / 100 : value;
  if (raw.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new InputError(flag, `expected a ratio from 0 to 1 or a percentage such as "1%", got "${raw}"`);
  }
  return ratio;
}

export function parseChoiceFlag<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw new InputError(flag, `expected one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}
