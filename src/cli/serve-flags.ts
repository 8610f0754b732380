/** `pipebench serve`'s flags: their raw values and the parsers of its own units. */
import { InputError } from '../errors.js';
import { resolve } from 'node:path';
import type { ModelRef } from '../core/workload.js';
import { parseDurationFlag } from './flags.js';

const BYTE_UNITS = { '': 1, b: 1, kb: 1e3, mb: 1e6, kib: 1024, mib: 1024 ** 2 } as const satisfies Record<string, number>;

export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly backend: string;
  readonly instances: string;
  readonly maxBatchSize: string;
  readonly maxQueueDelay: string;
  readonly maxNewTokens: string;
  readonly modelSize: string;
  readonly classifier: string;
  readonly generator: string;
  readonly maxBody: string;
  readonly maxInFlight?: string;
  readonly addedLatency: string;
}

/** "1MiB", "512KiB", "2000000" (bytes). */
export function parseBytesFlag(flag: string, raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = match?.[2]?.toLowerCase() ?? '';
  if (!match || !Object.hasOwn(BYTE_UNITS, unit))
    throw new InputError(flag, `expected a size such as "1MiB", "512KiB" or a number of bytes, got "${raw}"`);
  const bytes = Math.floor(Number(match[1]) * BYTE_UNITS[unit as keyof typeof BYTE_UNITS]);
  if (bytes < 1) throw new InputError(flag, `expected at least 1 byte, got "${raw}"`);
  return bytes;
}

/** A duration where 0 means "none". */
export function parseDurationOrZero(flag: string, raw: string): number {
  return /^\s*0+(\.0+)?\s*(ms|s)?\s*$/.test(raw) ? 0 : parseDurationFlag(flag, raw);
}

export function modelRef(value: string, cwd: string): ModelRef {
  return value === 'builtin' ? {} : { dir: resolve(cwd, value) };
}
