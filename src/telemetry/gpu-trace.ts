/**
 * A recorded trace file read whole (for `gpu summarize`), and the window to summarise given as
 * ISO 8601 times, read in the trace's own clock when they carry no zone. Pure.
 */
import { InputError } from '../errors.js';
import { GpuCsvParser, parseStamp } from './gpu-csv.js';
import type { GpuSample, TimeZoneRule } from './types.js';
import type { LineCounts } from '../core/report/telemetry.js';

export interface ParsedTrace {
  readonly samples: readonly GpuSample[];
  readonly lines: LineCounts;
  readonly firstGarbage: string | null;
}

export function parseGpuTrace(text: string, timeZone: TimeZoneRule): ParsedTrace {
  const parser = new GpuCsvParser({ timeZone });
  const samples: GpuSample[] = [];
  let total = 0;
  let garbage = 0;
  let deviceErrors = 0;
  let firstGarbage: string | null = null;
  for (const line of text.split('\n')) {
    const parsed = parser.parseLine(line);
    if (parsed.kind === 'blank') continue;
    total += 1;
    if (parsed.kind === 'sample') samples.push(parsed.sample);
    else if (parsed.kind === 'garbage') {
      garbage += 1;
      firstGarbage ??= `${parsed.line.slice(0, 120)} (${parsed.why})`;
    } else if (parsed.kind === 'device-error') deviceErrors += 1;
  }
  return { samples, lines: { total, samples: samples.length, garbage, deviceErrors }, firstGarbage };
}

export interface TraceWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * [from, to] from flag texts (`2026-11-26T18:49:00.100`, or with `Z`/`+01:00`); a missing bound is
 * the trace's first or last sample. `where` names the flags in errors.
 */
export function resolveTraceWindow(
  samples: readonly GpuSample[],
  bounds: { readonly from?: string; readonly to?: string },
  timeZone: TimeZoneRule,
  where: { readonly from: string; readonly to: string } = { from: '--from', to: '--to' },
): TraceWindow {
  const parseBound = (text: string | undefined, flag: string, fallback: number): number => {
    if (text === undefined) return fallback;
    const ms = parseStamp(text.trim(), timeZone);
    if (ms === null) throw new InputError(flag, `expected an ISO 8601 time such as 2026-11-26T18:49:00.100, got '${text}'`);
    return ms;
  };
  let first = Infinity;
  let last = -Infinity;
  for (const sample of samples) {
    if (sample.tMs < first) first = sample.tMs;
    if (sample.tMs > last) last = sample.tMs;
  }
  const fromMs = parseBound(bounds.from, where.from, first);
  const toMs = parseBound(bounds.to, where.to, last);
  if (toMs < fromMs) throw new InputError(where.to, `must not be before ${where.from}`);
  return { fromMs, toMs };
}
