import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import { readReplayTrace, startReplaySampler } from '../../src/telemetry/gpu-replay.js';
import { H100_TRACE, utc } from './fixtures.js';

const UTC = { kind: 'offset', offsetMinutes: 0 } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const traceStartMs = utc('2026-11-26T18:48:38.682');

describe('startReplaySampler', () => {
  it('feeds the trace at its pace, re-based onto now', async () => {
    const before = performance.timeOrigin + performance.now();
    const sampler = startReplaySampler(await readReplayTrace(H100_TRACE), { speed: 50, timeZone: UTC });
    expect(await sampler.ready).toBe(true);
    await sleep(200);
    const soFar = sampler.samples().length;
    expect(soFar).toBeGreaterThan(20); // ~10 s of trace at 50x
    expect(soFar).toBeLessThan(400);
    const result = await sampler.stop();
    expect(result.status).toBe('ok');
    expect(result.source).toBe('replay');
    expect(result.samples[0]!.tMs).toBeGreaterThanOrEqual(before);
    expect(result.samples[0]!.tMs).toBeLessThan(before + 1000);
    expect(result.intervalMs).toBeCloseTo(100 / 50, 0);
    await sleep(50);
    expect(sampler.samples().length).toBe(result.samples.length); // nothing after stop
  });

  it('a reader sees every line due by now, even when the replay timer has not fired (a busy machine)', async () => {
    let nowMs = 1_000_000;
    const sampler = startReplaySampler(await readReplayTrace(H100_TRACE), { speed: 1, timeZone: UTC, clock: () => nowMs });
    const atStart = sampler.samples().length;
    // 2 s of trace time pass with no turn of the event loop, so no timer can have fired.
    nowMs += 2000;
    const samples = sampler.samples();
    expect(samples.length).toBeGreaterThanOrEqual(atStart + 15); // the trace samples every 100 ms
    expect(samples.at(-1)!.tMs).toBeLessThanOrEqual(nowMs);
    expect(samples.at(-1)!.tMs).toBeGreaterThan(nowMs - 500);
    await sampler.stop();
  });

  it('replays the whole ramp; the classifier window aggregates as in the recording', async () => {
    const speed = 100;
    const sampler = startReplaySampler(await readReplayTrace(H100_TRACE), { speed, timeZone: UTC });
    const startedAtMs = sampler.samples()[0]!.tMs;
    await sleep(800);
    const result = await sampler.stop();
    expect(result.samples).toHaveLength(696);
    expect(result.status).toBe('partial');
    expect(result.reason).toMatch(/^the replayed trace ended \d+\.\d s into the run$/);
    const rebased = (stamp: string) => startedAtMs + (utc(`2026-11-26T${stamp}`) - traceStartMs) / speed;
    const [gpu] = summarizeGpuWindow(result.samples, rebased('18:49:00.1'), rebased('18:49:13.9'));
    expect(gpu!.samples).toBe(137);
    expect(gpu!.utilPct!.max).toBe(99);
    expect(gpu!.powerW!.max).toBeGreaterThan(680);
  });

  it('names a column no sample had a value for (partial), not one that read [N/A] only now and then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-replay-'));
    const path = join(dir, 'trace.csv');
    writeFileSync(
      path,
      [
        'timestamp, index, uuid, name, utilization.gpu [%], power.draw [W]',
        '2026/11/26 18:48:38.000, 0, GPU-1, NVIDIA H100, 10, [N/A]',
        '2026/11/26 18:48:38.010, 0, GPU-1, NVIDIA H100, [N/A], [N/A]',
        '2026/11/26 18:48:38.020, 0, GPU-1, NVIDIA H100, 30, [Not Supported]',
      ].join('\n') + '\n',
    );
    const sampler = startReplaySampler(await readReplayTrace(path), { speed: 100, timeZone: UTC });
    for (let i = 0; i < 100 && sampler.samples().length < 3; i++) await sleep(5);
    const result = await sampler.stop();
    expect(result.status).toBe('partial');
    expect(result.reason).toMatch(/; no value in any of 3 samples \(nvidia-smi printed \[N\/A\] or the like\) for power\.draw$/);
  });

  it('refuses a missing trace or one without timestamps, naming the flag', async () => {
    await expect(readReplayTrace('/no/such/trace.csv')).rejects.toThrow(InputError);
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-replay-'));
    const noStamps = join(dir, 'trace.csv');
    writeFileSync(noStamps, 'index, utilization.gpu [%]\n0, 5\n0, 7\n');
    await expect(readReplayTrace(noStamps)).rejects.toThrow(/--gpu-trace: .* no timestamp column/);
    const noSamples = join(dir, 'garbage.csv');
    writeFileSync(noSamples, '2026/11/26 18:48:38.682, this is not, a trace\n2026/11/26 18:48:38.782, nor this\n');
    await expect(readReplayTrace(noSamples)).rejects.toThrow(
      `--gpu-trace: ${noSamples} holds no nvidia-smi sample to replay; first unreadable line: `,
    );
  });
});
