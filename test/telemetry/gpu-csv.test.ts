import { describe, expect, it } from 'vitest';
import { GpuCsvParser, parseStamp } from '../../src/telemetry/gpu-csv.js';
import type { GpuCsvLine, GpuSample } from '../../src/telemetry/types.js';
import { parseH100Trace, readH100, utc } from './fixtures.js';

const MiB = 1024 * 1024;
const UTC = { kind: 'offset', offsetMinutes: 0 } as const;

function sampleOf(line: GpuCsvLine): GpuSample {
  if (line.kind !== 'sample') throw new Error(`expected a sample, got ${JSON.stringify(line)}`);
  return line.sample;
}

describe('GpuCsvParser on the real H100 trace', () => {
  it('parses every line of the 100 ms recording', () => {
    const parser = new GpuCsvParser({ timeZone: UTC });
    const lines = readH100('trace-100ms.csv')
      .split('\n')
      .map((line) => parser.parseLine(line));
    const kinds = lines.reduce<Record<string, number>>((counts, l) => ({ ...counts, [l.kind]: (counts[l.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ header: 1, sample: 696, blank: 1 });
    const header = lines[0]!;
    expect(header.kind === 'header' && header.unknownFields).toEqual([]);
  });

  it('reads the first sample with units from the header and the UTC stamp', () => {
    const first = parseH100Trace()[0]!;
    expect(first).toEqual({
      tMs: utc('2026-11-26T18:48:38.682'),
      gpuIndex: 0,
      uuid: 'GPU-5f0c1d2e-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
      name: 'NVIDIA H100 80GB HBM3',
      utilPct: 0,
      memUtilPct: 0,
      memUsedBytes: 0,
      memTotalBytes: 81559 * MiB,
      powerW: 101.82,
      powerLimitW: 700,
      tempC: 48,
      smClockMHz: 345,
      memClockMHz: 2619,
      throttleMask: 0x1,
      pstate: 'P0',
    });
  });

  it('keeps samples in time order and sees the load', () => {
    const samples = parseH100Trace();
    for (let i = 1; i < samples.length; i += 1) expect(samples[i]!.tMs).toBeGreaterThan(samples[i - 1]!.tMs);
    expect(Math.max(...samples.map((s) => s.utilPct ?? 0))).toBe(99);
    expect(Math.max(...samples.map((s) => s.powerW ?? 0))).toBeGreaterThan(680);
  });
});

describe('GpuCsvParser on other shapes of --query-gpu output', () => {
  it('takes headerless lines in the query order, with units in the values', () => {
    const parser = new GpuCsvParser({
      fields: ['timestamp', 'index', 'memory.used', 'power.draw', 'utilization.gpu', 'clocks.sm'],
      timeZone: UTC,
    });
    const s = sampleOf(parser.parseLine('2026/11/26 18:49:05.000, 1, 1332 MiB, 412.50 W, 98 %, 1755 MHz'));
    expect(s).toMatchObject({ gpuIndex: 1, memUsedBytes: 1332 * MiB, powerW: 412.5, utilPct: 98, smClockMHz: 1755 });
    expect(s.tMs).toBe(utc('2026-11-26T18:49:05.000'));
  });

  it('reads [N/A] and [Not Supported] as null', () => {
    const parser = new GpuCsvParser({ fields: ['index', 'fan.speed', 'power.draw', 'temperature.gpu'] });
    const s = sampleOf(parser.parseLine('0, [N/A], [Not Supported], 41', 1234));
    expect(s).toMatchObject({ gpuIndex: 0, powerW: null, tempC: 41, tMs: 1234 });
  });

  it('ORs Active/Not Active reason columns into the mask', () => {
    const parser = new GpuCsvParser();
    parser.parseLine(
      'index, clocks_throttle_reasons.gpu_idle, clocks_event_reasons.sw_power_cap, clocks_event_reasons.hw_thermal_slowdown',
    );
    expect(sampleOf(parser.parseLine('0, Not Active, Active, Active')).throttleMask).toBe(0x4 | 0x40);
    expect(sampleOf(parser.parseLine('0, Not Active, Not Active, Not Active')).throttleMask).toBe(0);
    expect(parser.parseLine('0, Maybe, Active, Active').kind).toBe('garbage');
  });

  it('tells several GPUs per tick apart, by index or else by uuid', () => {
    const byIndex = new GpuCsvParser({ fields: ['index', 'utilization.gpu'] });
    expect([byIndex.parseLine('0, 5'), byIndex.parseLine('1, 95')].map((l) => sampleOf(l).gpuIndex)).toEqual([0, 1]);
    const byUuid = new GpuCsvParser({ fields: ['uuid', 'utilization.gpu'] });
    const seen = ['GPU-a, 1', 'GPU-b, 2', 'GPU-a, 3', 'GPU-b, 4'].map((l) => sampleOf(byUuid.parseLine(l)).gpuIndex);
    expect(seen).toEqual([0, 1, 0, 1]);
  });

  it('converts zone-less local stamps with the host zone by default', () => {
    const local = new Date(2026, 10, 26, 18, 48, 38, 682).getTime();
    expect(parseStamp('2026/11/26 18:48:38.682', { kind: 'local' })).toBe(local);
    expect(parseStamp('2026/11/26 18:48:38.682', { kind: 'offset', offsetMinutes: 60 })).toBe(utc('2026-11-26T17:48:38.682'));
    expect(parseStamp('2026-11-26T18:49:00.100', UTC)).toBe(utc('2026-11-26T18:49:00.100'));
    expect(parseStamp('2026-11-26T18:49:00.100+02:00', UTC)).toBe(utc('2026-11-26T16:49:00.100'));
    expect(parseStamp('yesterday', UTC)).toBeNull();
  });

  it('counts garbage instead of throwing', () => {
    const parser = new GpuCsvParser({ fields: ['timestamp', 'index', 'utilization.gpu'] });
    expect(parser.parseLine('%%%% not csv').kind).toBe('garbage');
    expect(parser.parseLine('2026/11/26 18:48:38.682, 0, lots').kind).toBe('garbage');
    expect(parser.parseLine('tomorrow, 0, 5').kind).toBe('garbage');
    expect(parser.parseLine('2026/11/26 18:48:38.682, x, 5').kind).toBe('garbage');
    expect(parser.parseLine('   ').kind).toBe('blank');
    expect(parser.parseLine('2026/11/26 18:48:38.682, 0, 5').kind).toBe('sample');
  });

  it('recognises nvidia-smi device errors', () => {
    const parser = new GpuCsvParser();
    expect(parser.parseLine('No devices were found').kind).toBe('device-error');
    expect(
      parser.parseLine('Unable to determine the device handle for GPU0000:00:06.0: GPU is lost.  Reboot the system to recover this GPU')
        .kind,
    ).toBe('device-error');
  });

  it('switches columns when a header arrives mid-stream and lists unknown fields', () => {
    const parser = new GpuCsvParser({ fields: ['index', 'utilization.gpu'] });
    const header = parser.parseLine('index, fan.speed [%], power.draw [W]');
    expect(header.kind === 'header' && header.unknownFields).toEqual(['fan.speed']);
    expect(sampleOf(parser.parseLine('2, 30, 250.5'))).toMatchObject({ gpuIndex: 2, powerW: 250.5, utilPct: null });
  });
});

describe('GpuCsvParser on the trace pipebench itself recorded on an H100', () => {
  it('reads its field order from the header and sees the matmul load', () => {
    const parser = new GpuCsvParser({ timeZone: UTC });
    const lines = readH100('pipebench-sampler-trace.csv')
      .split('\n')
      .map((line) => parser.parseLine(line));
    const samples = lines.flatMap((l) => (l.kind === 'sample' ? [l.sample] : []));
    expect(samples).toHaveLength(162);
    expect(lines.filter((l) => l.kind === 'garbage')).toEqual([]);
    expect(samples[0]).toMatchObject({ pstate: 'P0', utilPct: 0, powerW: 129.86, smClockMHz: 1980, throttleMask: 0 });
    expect(Math.max(...samples.map((s) => s.utilPct!))).toBe(100);
    expect(Math.max(...samples.map((s) => s.powerW!))).toBeGreaterThan(700);
  });
});
