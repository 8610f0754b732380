import { once } from 'node:events';
import { createServer, connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHostSampler, type HostSampler } from '../../src/telemetry/host-sampler.js';
import type { HostSample, TfMemory } from '../../src/core/report/telemetry.js';

const INTERVAL_MS = 50;
const MiB = 1024 * 1024;
const onLinux = process.platform === 'linux';

/** Waits (bounded) until the sampler has taken a sample after `afterMs`. */
async function sampleAfter(sampler: HostSampler, afterMs: number): Promise<HostSample> {
  for (let i = 0; i < 100; i++) {
    const latest = sampler.latest();
    if (latest !== null && latest.tMs > afterMs) return latest;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS / 2));
  }
  throw new Error('no sample arrived');
}

const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('host sampler', () => {
  it('samples every interval: the first sample has no rates, later ones do', async () => {
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS });
    await sampleAfter(sampler, performance.timeOrigin + performance.now() + 3 * INTERVAL_MS);
    const report = await sampler.stop();
    expect(report.samples).toBeGreaterThanOrEqual(4);
    expect(report.intervalMs).toBe(INTERVAL_MS);
    const [first, ...later] = report.timeline;
    expect(first?.processCpuPct).toBeNull();
    expect(first?.netRxBytesPerSec).toBeNull();
    // The last one is stop()'s: it may follow a tick too closely to carry rates.
    for (const s of later.slice(0, -1)) {
      expect(s.processCpuPct).toBeGreaterThanOrEqual(0);
      expect(s.rssBytes).toBeGreaterThan(0);
      expect(s.heapUsedBytes).toBeGreaterThan(0);
      expect(s.tfMemory).toBeNull();
      if (onLinux) {
        expect(s.systemCpuPct).toBeGreaterThanOrEqual(0);
        expect(s.systemCpuPct).toBeLessThanOrEqual(100);
        expect(s.netRxBytesPerSec).toBeGreaterThanOrEqual(0);
      }
    }
    const gaps = report.timeline.slice(1).map((s, i) => s.tMs - (report.timeline[i] as HostSample).tMs);
    expect(Math.min(...gaps.slice(0, -1))).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
  });

  it('sees RSS grow while the test holds a large buffer, and reports the peak', async () => {
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS });
    const before = await sampleAfter(sampler, 0);
    const held = Buffer.alloc(128 * MiB, 1);
    const during = await sampleAfter(sampler, performance.timeOrigin + performance.now());
    const report = await sampler.stop();
    expect(held.length).toBe(128 * MiB);
    expect(during.rssBytes - before.rssBytes).toBeGreaterThan(100 * MiB);
    expect(report.rssBytes.peak).toBeGreaterThanOrEqual(during.rssBytes);
    // start is the first sample's; a loaded machine may take a second one before the test reads one.
    expect(report.rssBytes.start).toBe(report.timeline[0]!.rssBytes);
    expect(report.timeline[0]!.tMs).toBeLessThanOrEqual(before.tMs);
  });

  it.runIf(onLinux)('counts bytes moved over a real loopback socket in both directions', async () => {
    const payload = Buffer.alloc(16 * MiB, 7);
    const server = createServer((socket) => socket.resume());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS });
    await sampleAfter(sampler, 0);
    let received = 0;
    const done = new Promise<void>((resolve) => {
      server.once('connection', (socket) => {
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= payload.length) resolve();
        });
      });
    });
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    client.end(payload);
    await done;
    const report = await sampler.stop();
    server.close();
    // Loopback counts each byte once received and once sent; other processes only add to it.
    expect(report.netRxBytes).toBeGreaterThanOrEqual(payload.length);
    expect(report.netTxBytes).toBeGreaterThanOrEqual(payload.length);
    const peakRate = Math.max(...report.timeline.map((s) => s.netRxBytesPerSec ?? 0));
    expect(peakRate).toBeGreaterThan(0);
  });

  it.runIf(onLinux)('counts bytes moved in the sliver before stop(), which carries no rates', async () => {
    // One long interval: the only samples are the first and stop()'s, a sliver of it later.
    const payload = Buffer.alloc(4 * MiB, 7);
    const server = createServer((socket) => socket.resume());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sampler = startHostSampler({ intervalMs: 600_000 });
    await sampleAfter(sampler, 0);
    const received = new Promise<void>((resolve) => {
      server.once('connection', (socket) => {
        let bytes = 0;
        socket.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= payload.length) resolve();
        });
      });
    });
    connect((server.address() as AddressInfo).port, '127.0.0.1').end(payload);
    await received;
    const report = await sampler.stop();
    server.close();
    expect(report.timeline.at(-1)?.netRxBytesPerSec).toBeNull();
    expect(report.netRxBytes).toBeGreaterThanOrEqual(payload.length);
  });

  it('carries tf.memory() answers, start and end from the first and last answer', async () => {
    let calls = 0;
    const tfMemory = async (): Promise<TfMemory> => {
      calls++;
      return { numTensors: 10 + calls, numBytes: 1000 * calls };
    };
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS, tfMemory });
    await sampleAfter(sampler, performance.timeOrigin + performance.now() + 2 * INTERVAL_MS);
    const report = await sampler.stop();
    expect(report.tfMemory.start).toEqual({ numTensors: 11, numBytes: 1000 });
    expect(report.tfMemory.end).toEqual({ numTensors: 10 + calls, numBytes: 1000 * calls });
    expect(report.timeline.every((s) => s.tfMemory !== null)).toBe(true);
  });

  it('skips tf.memory() in samples it does not answer in time, and never asks twice while one is pending', async () => {
    let calls = 0;
    const tfMemory = (): Promise<TfMemory | null> => {
      calls++;
      return new Promise(() => undefined);
    };
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS, tfMemory });
    await sampleAfter(sampler, performance.timeOrigin + performance.now() + 3 * INTERVAL_MS);
    const report = await sampler.stop();
    expect(calls).toBe(1);
    expect(report.samples).toBeGreaterThanOrEqual(3);
    expect(report.timeline.every((s) => s.tfMemory === null)).toBe(true);
    expect(report.tfMemory).toEqual({ start: null, end: null });
  });

  it('a failing tf.memory() is a skipped reading, not a failed sampler', async () => {
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS, tfMemory: () => Promise.reject(new Error('instance gone')) });
    await sampleAfter(sampler, performance.timeOrigin + performance.now() + INTERVAL_MS);
    const report = await sampler.stop();
    expect(report.tfMemory).toEqual({ start: null, end: null });
  });

  it("gives stop()'s sample no rates when it follows a tick by a sliver of the interval", async () => {
    const sampler = startHostSampler({ intervalMs: 60_000 });
    await sampleAfter(sampler, 0);
    const report = await sampler.stop();
    expect(report.samples).toBe(2);
    expect(report.timeline[1]?.processCpuPct).toBeNull();
    expect(report.timeline[1]?.systemCpuPct).toBeNull();
    expect(report.timeline[1]?.rssBytes).toBeGreaterThan(0);
    expect(report.rssBytes.end).toBe(report.timeline[1]?.rssBytes);
  });

  it('downsamples to maxPoints and keeps the extremes', async () => {
    const sampler = startHostSampler({ intervalMs: 10, maxPoints: 4 });
    await sampleAfter(sampler, performance.timeOrigin + performance.now() + 150);
    const report = await sampler.stop();
    expect(report.samples).toBeGreaterThan(4);
    expect(report.maxPoints).toBe(4);
    expect(report.timeline.length).toBeLessThanOrEqual(4);
    expect(Math.max(...report.timeline.map((s) => s.rssBytes))).toBe(report.rssBytes.peak);
    expect(Math.max(...report.timeline.map((s) => s.heapUsedBytes))).toBe(report.heapUsedBytes.peak);
  });

  it('keeps memory bounded past its retention limit: a long run folds into extremes', async () => {
    const sampler = startHostSampler({ intervalMs: 1, maxPoints: 4 });
    // Retention is 4 x maxPoints = 16 raw samples; take well over that.
    await sampleAfter(sampler, performance.timeOrigin + performance.now() + 120);
    const report = await sampler.stop();
    expect(report.samples).toBeGreaterThan(16);
    expect(report.timeline.length).toBeLessThanOrEqual(4);
    expect(Math.max(...report.timeline.map((s) => s.rssBytes))).toBe(report.rssBytes.peak);
  });

  it('stop() is idempotent and leaves no timer behind', async () => {
    const timersBefore = timeouts();
    const sampler = startHostSampler({ intervalMs: INTERVAL_MS, tfMemory: () => new Promise(() => undefined) });
    await sampleAfter(sampler, 0);
    const [a, b] = await Promise.all([sampler.stop(), sampler.stop()]);
    expect(b).toBe(a);
    expect(await sampler.stop()).toBe(a);
    expect(timeouts()).toBe(timersBefore);
    const last = sampler.latest();
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    expect(sampler.latest()).toBe(last);
    expect(a.samples).toBe(a.timeline.length);
  });
});
