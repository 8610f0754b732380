/** Flag value parsers: each error names the flag and what it expected (exit 2 via InputError). */
import { InputError } from '../errors.js';
import { parseDurationMs, parseRatio } from '../workload/units.js';

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

/** "500ms", "10s", "2m", or a bare number of milliseconds (the workload's own units). */
export function parseDurationFlag(flag: string, raw: string, options: { readonly allowZero?: boolean } = {}): number {
  const ms = parseDurationMs(raw);
  const ok = ms !== undefined && (ms > 0 || (options.allowZero === true && ms === 0));
  if (!ok) {
    const what = options.allowZero ? 'a duration >= 0' : 'a positive duration';
    throw new InputError(flag, `expected ${what} such as "500ms", "10s" or "2m", got "${raw}"`);
  }
  return ms;
}

/** "1%" or "0.01". */
export function parseRatioFlag(flag: string, raw: string): number {
  const ratio = parseRatio(raw);
  if (ratio === undefined || ratio < 0 || ratio > 1) {
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

/** "10,20,40" or "2.5": positive numbers, e.g. request rates. */
export function parseNumberListFlag(flag: string, raw: string, what: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  return parts.map((part) => {
    const value = Number(part);
    if (part === '' || !/^\d+(?:\.\d+)?$/.test(part) || !(value > 0)) {
      throw new InputError(flag, `expected a comma-separated list of ${what} such as "10,20,40", got "${raw}"`);
    }
    return value;
  });
}
