/** Paths of the real H100 recordings (test/fixtures/gpu/h100-80gb-hbm3, README there says what ran when). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GpuCsvParser } from '../../src/telemetry/gpu-csv.js';
import type { GpuSample } from '../../src/telemetry/types.js';

export const H100_DIR = join(import.meta.dirname, '..', 'fixtures', 'gpu', 'h100-80gb-hbm3');
export const H100_TRACE = join(H100_DIR, 'trace-100ms.csv');
export const FAKE_BIN_DIR = join(import.meta.dirname, '..', 'fixtures', 'bin');

export function readH100(file: string): string {
  return readFileSync(join(H100_DIR, file), 'utf8');
}

/** The node's clock was UTC: stamps in the trace are UTC wall time. */
export const utc = (stamp: string): number => Date.parse(`${stamp}Z`);

export function parseH100Trace(): GpuSample[] {
  const parser = new GpuCsvParser({ timeZone: { kind: 'offset', offsetMinutes: 0 } });
  const samples: GpuSample[] = [];
  for (const line of readH100('trace-100ms.csv').split('\n')) {
    const parsed = parser.parseLine(line);
    if (parsed.kind === 'sample') samples.push(parsed.sample);
  }
  return samples;
}

/** Running and not a zombie: an orphan killed after its parent died waits, dead, for init to reap it. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
