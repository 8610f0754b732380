import { describe, expect, it } from 'vitest';
import { parseProcStatCpuMs, readProcessCpuMs, startHarnessHealth } from '../../src/telemetry/harness-health.js';
import type { SamplerResult } from '../../src/telemetry/types.js';

describe('startHarnessHealth', () => {
  it('sees a blocked event loop and the CPU it burned', async () => {
    const monitor = startHarnessHealth({ resolutionMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // Block the loop on purpose for 60 ms.
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    const report = monitor.stop();
    expect(report.eventLoopDelay!.maxMs).toBeGreaterThan(40);
    expect(report.cpuUserMs + report.cpuSystemMs).toBeGreaterThan(15); // shared cores: the busy wait may get part of a core
    expect(report.cpuShare).toBeGreaterThan(0.1);
    expect(report.gpuSampling).toBeNull();
    expect(monitor.stop()).toBe(report);
  });

  it('reports the sampler cost per sample', () => {
    const gpu = { lines: { total: 101, samples: 100, garbage: 0, deviceErrors: 0 }, parseMs: 2, samplerCpuMs: 50 } as SamplerResult;
    const report = startHarnessHealth().stop(gpu);
    expect(report.gpuSampling).toMatchObject({ samples: 100, parseMs: 2, parseUsPerSample: 20, samplerCpuMs: 50 });
  });
});

describe('/proc CPU', () => {
  it('parses utime + stime after a command name with spaces and parentheses', () => {
    const stat = '4242 (nvidia smi (x)) S 1 4242 4242 0 -1 4194560 500 0 0 0 150 30 0 0 20 0 1 0 100 1000 100';
    expect(parseProcStatCpuMs(stat)).toBe(1800);
    expect(parseProcStatCpuMs('garbage')).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads this process', async () => {
    expect(await readProcessCpuMs(process.pid)).toBeGreaterThan(0);
    expect(await readProcessCpuMs(2 ** 22 + 1)).toBeNull();
  });
});

describe('event-loop delay', () => {
  it('reads near zero on an idle loop (the monitor resolution is not counted as delay)', async () => {
    const monitor = startHarnessHealth({ resolutionMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const delay = monitor.stop().eventLoopDelay!;
    expect(delay.p50Ms).toBeLessThan(5);
    expect(delay.p50Ms).toBeGreaterThanOrEqual(0);
  });
});
