import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReplayTrace } from '../../src/telemetry/gpu-replay.js';
import { latestPowerW, latestUtilPct, startGpuTelemetry } from '../../src/telemetry/gpu-telemetry.js';
import type { GpuSample } from '../../src/telemetry/types.js';
import { H100_TRACE, parseH100Trace } from './fixtures.js';

const UTC = { kind: 'offset', offsetMinutes: 0 } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const HEADER = 'timestamp, index, utilization.gpu [%], power.draw [W]';

/** Two GPUs per tick: GPU 0 climbs 10, 20, 30; GPU 1 reads 50, then [N/A], then 90. */
function twoGpuTrace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipebench-latest-util-'));
  const path = join(dir, 'two-gpus.csv');
  const lines = [
    HEADER,
    '2026/11/26 18:48:38.000, 0, 10, 100.0',
    '2026/11/26 18:48:38.000, 1, 50, 100.0',
    '2026/11/26 18:48:38.100, 0, 20, 100.0',
    '2026/11/26 18:48:38.100, 1, [N/A], 100.0',
    '2026/11/26 18:48:38.200, 0, 30, 300.5',
    '2026/11/26 18:48:38.200, 1, 90, 650.0',
  ];
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('latestUtilPct and latestPowerW', () => {
  it('replayed H100 trace: the last sample of the recording, whatever came before', async () => {
    const recorded = parseH100Trace();
    const telemetry = await startGpuTelemetry({
      mode: { kind: 'replay', trace: await readReplayTrace(H100_TRACE), speed: 1000 },
      timeZone: UTC,
    });
    for (let i = 0; i < 100 && telemetry.sampler!.samples().length < recorded.length; i++) await sleep(20);
    expect(telemetry.sampler!.samples()).toHaveLength(recorded.length);
    expect(telemetry.latestUtilPct()).toBe(recorded.at(-1)!.utilPct);
    await telemetry.finish();
  });

  it('replayed two-GPU trace: the mean of both GPUs in the latest tick, nulls left out', async () => {
    const telemetry = await startGpuTelemetry({
      mode: { kind: 'replay', trace: await readReplayTrace(twoGpuTrace()), speed: 1000 },
      timeZone: UTC,
    });
    for (let i = 0; i < 100 && telemetry.sampler!.samples().length < 6; i++) await sleep(10);
    expect(telemetry.latestUtilPct()).toBe(60); // (30 + 90) / 2, not the mean of the whole trace
    const samples = telemetry.sampler!.samples();
    expect(latestUtilPct(samples.slice(0, 4))).toBe(20); // GPU 1 read [N/A] in that tick
    expect(telemetry.latestPowerW()).toBe(950.5); // power adds over the GPUs of the latest tick
    expect(latestPowerW(samples.slice(0, 4))).toBe(200);
    await telemetry.finish();
  });

  it('none yet, or off: null', async () => {
    expect(latestUtilPct([])).toBeNull();
    const idle: GpuSample = { ...parseH100Trace()[0]!, utilPct: null };
    expect(latestUtilPct([idle])).toBeNull();
    const off = await startGpuTelemetry({ mode: { kind: 'off' } });
    expect(off.latestUtilPct()).toBeNull();
    expect(latestPowerW([])).toBeNull();
    expect(latestPowerW([{ ...idle, powerW: null }])).toBeNull();
    expect(off.latestPowerW()).toBeNull();
  });
});
