import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReplayTrace } from '../../src/telemetry/gpu-replay.js';
import { readGpuInventory } from '../../src/telemetry/gpu-inventory.js';
import { startGpuTelemetry } from '../../src/telemetry/gpu-telemetry.js';
import { FAKE_BIN_DIR, H100_TRACE, isAlive } from './fixtures.js';

const env = (scenario: string) => ({ ...process.env, PATH: `${join(FAKE_BIN_DIR, scenario)}:/usr/bin:/bin` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

describe('startGpuTelemetry', () => {
  it('live: inventory, per-step summary with process memory, one clean record', async () => {
    const telemetry = await startGpuTelemetry({ mode: { kind: 'nvidia-smi', intervalMs: 20, env: env('ok') }, ownPids: () => [450] });
    expect(telemetry.inventory.kind).toBe('ok');
    const atStart = await telemetry.processes();
    const stepStart = now();
    await sleep(250);
    // A few samples in the step, however long a loaded machine takes to print them.
    for (let i = 0; i < 500 && telemetry.sampler!.samples().filter((x) => x.tMs >= stepStart).length < 4; i++) await sleep(20);
    const stepEnd = now();
    const atEnd = await telemetry.processes();
    // The fake prints the recording's old stamps: the sampler moves them onto the run's clock.
    const samples = telemetry.sampler!.samples();
    const inStep = samples.filter((x) => x.tMs >= stepStart && x.tMs <= stepEnd).length;
    const step = telemetry.stepReport(stepStart, stepEnd, { items: 10 }, { atStart, atEnd });
    expect(inStep).toBeGreaterThan(3);
    expect(step.gpus[0]!.samples).toBe(inStep);
    expect(step.gpus[0]!.energyPerItemJ).not.toBeNull();
    expect(step.processesAtStart).toMatchObject({ kind: 'ok', ownMemBytes: 1332 * 1024 * 1024 });
    const outcome = await telemetry.finish();
    expect(outcome.warning).toBeNull();
    expect(outcome.report).toMatchObject({ status: 'ok', reason: null, source: 'nvidia-smi', inventoryReason: null });
    expect(outcome.report.inventory?.driverVersion).toBe('580.159.04');
    expect(isAlive(telemetry.sampler!.pid!)).toBe(false);
    expect(await telemetry.finish()).toBe(outcome);
  });

  it('a GPU listed (index, uuid, name) with [N/A] for every reading: partial, one warning naming the fields', async () => {
    const stepStart = now();
    const telemetry = await startGpuTelemetry({ mode: { kind: 'nvidia-smi', intervalMs: 20, env: env('all-na') } });
    // A few samples, however long a loaded machine takes to print them.
    for (let i = 0; i < 500 && telemetry.sampler!.samples().length < 4; i++) await sleep(20);
    const step = telemetry.stepReport(stepStart, now(), { items: 10 });
    expect(step.gpus[0]).toMatchObject({ gpuIndex: 0, name: 'NVIDIA H100 80GB HBM3', utilPct: null, powerW: null, energyJ: null });
    const outcome = await telemetry.finish();
    const samples = outcome.report.samples;
    expect(samples).toBeGreaterThanOrEqual(4);
    expect(outcome.report.status).toBe('partial');
    expect(outcome.warning).toBe(
      `GPU telemetry partial: no value in any of ${samples} samples (nvidia-smi printed [N/A] or the like) for pstate, utilization.gpu, ` +
        'utilization.memory, memory.used, memory.total, power.draw, power.limit, temperature.gpu, clocks.current.sm, clocks.current.memory, ' +
        'clocks_event_reasons.active',
    );
  });

  it('no GPU: the run goes on with one warning', async () => {
    const telemetry = await startGpuTelemetry({ mode: { kind: 'nvidia-smi', env: env('missing') } });
    expect(await telemetry.processes()).toBeNull();
    expect(telemetry.stepReport(0, now(), {}).gpus).toEqual([]);
    const outcome = await telemetry.finish();
    expect(outcome.warning).toBe('GPU telemetry absent: nvidia-smi not found on PATH');
    expect(outcome.report).toMatchObject({
      status: 'absent',
      inventory: null,
      inventoryReason: 'nvidia-smi not found on PATH',
      samples: 0,
    });
  });

  it('an nvidia-smi that hangs on every call: one bounded wait for both start-up probes, not one after the other', async () => {
    const PROBE_MS = 1500;
    // What one probe costs alone when it hangs: its timeout, the kill and the reaping.
    let startedAt = now();
    expect((await readGpuInventory({ env: env('hang-always'), timeoutMs: PROBE_MS })).kind).toBe('unavailable');
    const oneProbeMs = now() - startedAt;
    startedAt = now();
    const telemetry = await startGpuTelemetry({ mode: { kind: 'nvidia-smi', env: env('hang-always'), probeTimeoutMs: PROBE_MS } });
    const startMs = now() - startedAt;
    // One probe after the other would take at least oneProbeMs + PROBE_MS.
    expect(startMs).toBeLessThan(oneProbeMs + PROBE_MS / 2);
    const reason = 'nvidia-smi did not answer within 1.5 s (killed)';
    const outcome = await telemetry.finish();
    expect(outcome.warning).toBe(`GPU telemetry absent: ${reason}`);
    expect(outcome.report).toMatchObject({ status: 'absent', inventory: null, inventoryReason: reason });
  }, 15_000);

  it('replay: samples on the run clock, no inventory, no process view', async () => {
    const started = now();
    const telemetry = await startGpuTelemetry({
      mode: { kind: 'replay', trace: await readReplayTrace(H100_TRACE), speed: 20 },
      timeZone: { kind: 'offset', offsetMinutes: 0 },
    });
    await sleep(200);
    const step = telemetry.stepReport(started, now(), {});
    expect(step.gpus[0]!.samples).toBeGreaterThan(10);
    expect(await telemetry.processes()).toBeNull();
    const outcome = await telemetry.finish();
    expect(outcome.report).toMatchObject({ status: 'ok', source: 'replay', inventory: null });
  });

  it('off: absent, no warning', async () => {
    const outcome = await (await startGpuTelemetry({ mode: { kind: 'off' } })).finish();
    expect(outcome).toMatchObject({ warning: null, samplerResult: null, report: { status: 'absent', source: null } });
  });
});
