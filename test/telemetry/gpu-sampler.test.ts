/** The live sampler against fake nvidia-smi executables first on PATH (test/fixtures/bin/<scenario>). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveChildPids } from '../../src/telemetry/child-registry.js';
import { startNvidiaSmiSampler, type NvidiaSmiSamplerOptions } from '../../src/telemetry/gpu-sampler.js';
import type { SamplerResult } from '../../src/telemetry/types.js';
import { FAKE_BIN_DIR, isAlive } from './fixtures.js';

function envWith(scenario: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Only the fake and the basic tools: a real nvidia-smi on this host must not answer instead.
  return { ...process.env, PATH: `${join(FAKE_BIN_DIR, scenario)}:/usr/bin:/bin`, ...extra };
}

const fast: NvidiaSmiSamplerOptions = { intervalMs: 20, startupTimeoutMs: 1500, stallTimeoutMs: 400, stopGraceMs: 300 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runScenario(
  scenario: string,
  runMs: number,
  extra: Record<string, string> = {},
  options: NvidiaSmiSamplerOptions = {},
): Promise<{ result: SamplerResult; pid: number | null }> {
  const sampler = await startNvidiaSmiSampler({ ...fast, ...options, env: envWith(scenario, extra) });
  const pid = sampler.pid;
  await sleep(runMs);
  const result = await sampler.stop();
  if (pid !== null) expect(isAlive(pid)).toBe(false);
  expect(liveChildPids()).toEqual([]);
  return { result, pid };
}

describe('startNvidiaSmiSampler with a working nvidia-smi', () => {
  it('streams the replayed H100 lines, checks fields first, and stops its child', async () => {
    const startedMs = performance.timeOrigin + performance.now();
    const sampler = await startNvidiaSmiSampler({ ...fast, env: envWith('ok') });
    expect(sampler.pid).not.toBeNull();
    expect(await sampler.ready).toBe(true);
    await sleep(300);
    expect(sampler.samples().length).toBeGreaterThan(3);
    const result = await sampler.stop();
    expect(result.status).toBe('ok');
    expect(result.reason).toBeNull();
    expect(result.fields?.dropped).toEqual([]);
    expect(result.samples[0]).toMatchObject({ gpuIndex: 0, name: 'NVIDIA H100 80GB HBM3', powerW: 101.82 });
    expect(result.lines.garbage).toBe(0);
    expect(result.parseMs).toBeGreaterThan(0);
    expect(isAlive(sampler.pid!)).toBe(false);
    expect(await sampler.stop()).toBe(result);
    // Local-time stamps without a zone land on the harness's clock as they are.
    expect(result.stampCorrectionMs).toBe(0);
    expect(result.samples[0]!.tMs).toBeGreaterThanOrEqual(startedMs - 1);
    expect(result.samples.at(-1)!.tMs).toBeLessThanOrEqual(performance.timeOrigin + performance.now());
  });

  it('moves stamps from another zone or clock onto the harness clock, keeping their spacing', async () => {
    const startedMs = performance.timeOrigin + performance.now();
    const { result } = await runScenario('old-stamps', 300, {}, { intervalMs: 100 });
    // This fake prints the recording's own stamps (2026-11-26 18:48), hours away from now.
    expect(Math.abs(result.stampCorrectionMs)).toBeGreaterThan(5000);
    expect(result.samples[0]!.tMs).toBeGreaterThanOrEqual(startedMs);
    expect(result.samples[0]!.tMs).toBeLessThanOrEqual(performance.timeOrigin + performance.now());
    expect(result.samples[1]!.tMs - result.samples[0]!.tMs).toBe(109);
  });

  it('waits out a slow start', async () => {
    const { result } = await runScenario('slow-start', 900, { FAKE_NVSMI_DELAY_S: '0.5' });
    expect(result.status).toBe('ok');
    expect(result.samples.length).toBeGreaterThan(0);
  });
});

describe('startNvidiaSmiSampler when nvidia-smi misbehaves', () => {
  it('missing: absent, says so, starts nothing', async () => {
    const { result, pid } = await runScenario('missing', 0);
    expect(pid).toBeNull();
    expect(result).toMatchObject({ status: 'absent', reason: 'nvidia-smi not found on PATH', samples: [] });
  });

  it('exit 2 with the real error text', async () => {
    const { result } = await runScenario('exit-2', 300);
    expect(result.status).toBe('absent');
    expect(result.reason).toBe('nvidia-smi exited with code 2: Field "clocks_event_reasons.active" is not a valid field to query.');
  });

  it('exit 6: No devices were found', async () => {
    const { result } = await runScenario('no-devices', 300);
    expect(result.status).toBe('absent');
    expect(result.reason).toContain('No devices were found');
    expect(result.reason).toContain('code 6');
  });

  it('hang after some lines: partial, killed', async () => {
    const sampler = await startNvidiaSmiSampler({ ...fast, env: envWith('hang', { FAKE_NVSMI_LINES: '3' }) });
    await sleep(900);
    expect(isAlive(sampler.pid!)).toBe(false); // killed by the stall watchdog, before stop()
    const result = await sampler.stop();
    expect(result.status).toBe('partial');
    expect(result.samples).toHaveLength(3);
    expect(result.reason).toMatch(/stopped printing for 0\.4 s after 3 samples \(hung; killed\)/);
  });

  it('hang at start: absent after the startup timeout', async () => {
    const { result } = await runScenario('hang-at-start', 0, {}, { startupTimeoutMs: 300 });
    expect(result.status).toBe('absent');
    expect(result.reason).toBe('nvidia-smi printed no sample before the run ended');
    const waited = await runScenario('hang-at-start', 700, {}, { startupTimeoutMs: 300 });
    expect(waited.result.reason).toBe('nvidia-smi printed no sample within 0.3 s of starting (killed)');
  });

  it('garbage: absent, quotes the first line it could not read', async () => {
    const { result } = await runScenario('garbage', 600, {}, { garbageLimit: 10 });
    expect(result.status).toBe('absent');
    expect(result.reason).toMatch(/^nvidia-smi output not understood: '%% \d+ garbled ~~ output \d+' \(expected 15 columns, found 1\)$/);
    expect(result.lines.garbage).toBeGreaterThanOrEqual(10);
  });

  it('dies after N lines: partial with the signal', async () => {
    const { result } = await runScenario('dies', 600, { FAKE_NVSMI_LINES: '4' });
    expect(result.status).toBe('partial');
    expect(result.samples).toHaveLength(4);
    expect(result.reason).toBe('nvidia-smi was killed by SIGKILL after 4 samples: Segmentation fault');
  });

  it('a GPU falls off the bus: partial, with the driver message', async () => {
    // The fake prints 4 samples, then the driver's message at once. On a loaded machine 4 lines may
    // take far longer than 600 ms: wait for them, then as long again for the message that follows.
    const sampler = await startNvidiaSmiSampler({ ...fast, env: envWith('gpu-lost', { FAKE_NVSMI_LINES: '4' }) });
    const startedMs = performance.now();
    for (let i = 0; i < 1000 && sampler.samples().length < 4; i++) await sleep(10);
    await sleep(Math.max(300, performance.now() - startedMs));
    const result = await sampler.stop();
    expect(liveChildPids()).toEqual([]);
    expect(result.status).toBe('partial');
    expect(result.samples).toHaveLength(4);
    expect(result.reason).toMatch(/^nvidia-smi reported: Unable to determine the device handle .*GPU is lost/);
  });
});
