import { describe, expect, it } from 'vitest';
import { summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import { parseGpuInventoryXml } from '../../src/telemetry/gpu-inventory.js';
import { formatStamp, renderGpuInventoryText, renderGpuWindowText } from '../../src/telemetry/gpu-summary-text.js';
import { parseGpuTrace, resolveTraceWindow } from '../../src/telemetry/gpu-trace.js';
import { readH100 } from './fixtures.js';

const UTC = { kind: 'offset', offsetMinutes: 0 } as const;

describe('renderGpuInventoryText', () => {
  it('prints the H100 inventory', () => {
    const text = renderGpuInventoryText({ kind: 'ok', inventory: parseGpuInventoryXml(readH100('nvidia-smi-q.xml'))! });
    expect(text).toBe(
      'Driver 580.159.04, CUDA 13.0, 1 GPU\n' +
        'GPU 0  NVIDIA H100 80GB HBM3  (00000000:00:06.0)\n' +
        '  memory 79.6 GiB, power limit 700 W, persistence on, MIG Disabled, ECC Enabled\n' +
        '  GPU-5f0c1d2e-0a1b-4c2d-8e3f-4a5b6c7d8e9f\n',
    );
    expect(renderGpuInventoryText({ kind: 'unavailable', reason: 'nvidia-smi not found on PATH' })).toBe(
      'No GPU inventory: nvidia-smi not found on PATH\n',
    );
  });
});

describe('gpu summarize over the recorded trace', () => {
  const trace = parseGpuTrace(readH100('trace-100ms.csv'), UTC);

  it('reads the trace whole', () => {
    expect(trace.lines).toEqual({ total: 697, samples: 696, garbage: 0, deviceErrors: 0 });
  });

  it('summarises the classifier window given in the trace clock', () => {
    const window = resolveTraceWindow(trace.samples, { from: '2026-11-26T18:49:00.100', to: '2026-11-26T18:49:13.900' }, UTC);
    const text = renderGpuWindowText(summarizeGpuWindow(trace.samples, window.fromMs, window.toMs), { ...window, timeZone: UTC });
    expect(text).toContain('Window 2026-11-26T18:49:00.100Z .. 2026-11-26T18:49:13.900Z (13.8 s)');
    expect(text).toContain('GPU 0  NVIDIA H100 80GB HBM3  (137 samples)');
    expect(text).toMatch(/utilisation +mean \d+ %, p95 99 %, max 99 %/);
    expect(text).toMatch(/power +mean \d+ W, max 698 W \(limit 700 W\)/);
    expect(text).toContain('sw_power_cap; held down under load in');
    expect(text).toContain('note: GPU 0 clocks were throttled (sw_power_cap)');
  });

  it('defaults to the whole trace and rejects bad bounds, naming the flag', () => {
    const whole = resolveTraceWindow(trace.samples, {}, UTC);
    expect(formatStamp(whole.fromMs, UTC)).toBe('2026-11-26T18:48:38.682Z');
    expect(formatStamp(whole.toMs, UTC)).toBe('2026-11-26T18:49:48.675Z');
    expect(() => resolveTraceWindow(trace.samples, { from: 'noon' }, UTC)).toThrow(/^--from: expected an ISO 8601 time/);
    expect(() => resolveTraceWindow(trace.samples, { from: '2026-11-26T18:49:10', to: '2026-11-26T18:49:00' }, UTC)).toThrow(
      /^--to: must not be before --from/,
    );
  });

  it('prints local stamps without a zone', () => {
    const ms = new Date(2026, 10, 26, 18, 49, 0, 100).getTime();
    expect(formatStamp(ms, { kind: 'local' })).toBe('2026-11-26T18:49:00.100');
    expect(formatStamp(Date.UTC(2026, 10, 26, 18, 49), { kind: 'offset', offsetMinutes: 90 })).toBe('2026-11-26T20:19:00.000+01:30');
  });
});
