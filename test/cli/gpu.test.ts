import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, runCli } from './cli-process.js';
import { taggedProcesses } from './process-tags.js';

const GPU_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'gpu', 'h100-80gb-hbm3');
const TRACE = join(GPU_FIXTURES, 'trace-100ms.csv');
const FAKE_BIN = join(import.meta.dirname, '..', 'fixtures', 'bin');
/** This file's runs carry this tag, so another test file's fake nvidia-smi running beside them is not counted. */
const TAG = randomUUID();
const withFake = (scenario: string): NodeJS.ProcessEnv => ({
  PATH: `${join(FAKE_BIN, scenario)}:${process.env['PATH'] ?? ''}`,
  PIPEBENCH_TEST_TAG: TAG,
});

/** Fake nvidia-smi processes this file's runs started that are still alive (they run as "bash .../fake-nvidia-smi.sh <scenario>"). */
async function fakeSamplersAlive(): Promise<string[]> {
  return (await taggedProcesses(TAG)).map((process) => process.cmdline).filter((cmdline) => cmdline.includes('fake-nvidia-smi.sh'));
}

interface WindowJson {
  readonly gpus: readonly { utilPct: { max: number; mean: number }; powerW: { max: number }; energyPerItemJ: number | null }[];
}

describe('pipebench gpu', () => {
  it('summarize: the recorded classifier window shows the ramp to ~98 % and ~690 W; the idle window does not', async () => {
    const busy = await runCli([
      'gpu',
      'summarize',
      TRACE,
      '--from',
      '2026-11-26T18:49:00.100',
      '--to',
      '2026-11-26T18:49:13.900',
      '--items',
      '1000',
      '--json',
    ]);
    expect(busy.code).toBe(0);
    const b = (JSON.parse(busy.stdout) as WindowJson).gpus[0]!;
    expect(b.utilPct.max).toBeGreaterThanOrEqual(98);
    expect(b.powerW.max).toBeGreaterThan(680);
    expect(b.energyPerItemJ).toBeGreaterThan(0);
    const idle = await runCli(['gpu', 'summarize', TRACE, '--from', '2026-11-26T18:48:40', '--to', '2026-11-26T18:48:59', '--json']);
    const i = (JSON.parse(idle.stdout) as WindowJson).gpus[0]!;
    expect(i.utilPct.max).toBeLessThan(10);
    expect(i.powerW.max).toBeLessThan(150);
    const human = await runCli(['gpu', 'summarize', TRACE, '--from', '2026-11-26T18:49:00.100', '--to', '2026-11-26T18:49:13.900']);
    expect(human.stdout).toContain('utilisation');
    expect(human.stdout).toContain('sw_power_cap');
  });

  it('summarize: a bad bound or a file that is not a trace exits 2 naming it', async () => {
    const bound = await runCli(['gpu', 'summarize', TRACE, '--from', 'yesterday']);
    expect(bound.code).toBe(2);
    expect(bound.stderr).toContain('--from');
    const notTrace = await runCli(['gpu', 'summarize', join(FIXTURES, 'cli-tiny.yaml')]);
    expect(notTrace.code).toBe(2);
    expect(notTrace.stderr).toContain('cli-tiny.yaml');
  });

  it('info: the inventory from nvidia-smi -q -x, and exit 3 where there is no nvidia-smi', async () => {
    const ok = await runCli(['gpu', 'info', '--json'], withFake('ok'));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      kind: 'ok',
      inventory: { driverVersion: '580.159.04', gpus: [{ name: 'NVIDIA H100 80GB HBM3' }] },
    });
    const missing = await runCli(['gpu', 'info'], { PATH: join(FAKE_BIN, 'missing') });
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain('nvidia-smi');
  });

  it('record: writes a trace that summarize reads back, and leaves no nvidia-smi behind', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'pipebench-gpu-')), 'trace.csv');
    const rec = await runCli(['gpu', 'record', '--out', out, '--duration', '1s'], withFake('ok'));
    expect(rec.code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toContain('utilization.gpu');
    expect(lines.length).toBeGreaterThan(3);
    const summary = await runCli(['gpu', 'summarize', out, '--json']);
    expect(summary.code).toBe(0);
    expect(await fakeSamplersAlive()).toEqual([]);
  });
});

describe('pipebench run with GPU telemetry', () => {
  it('--gpu-trace replays a recording: every step carries GPU aggregates and report.md a GPU table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipebench-gputrace-'));
    const result = await runCli(['run', join(FIXTURES, 'cli-tiny.yaml'), '--stages', 'classify', '--gpu-trace', TRACE, '--out', dir]);
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    expect(report.gpuTelemetry?.status).toBe('ok');
    expect(report.gpuTelemetry?.source).toBe('replay');
    for (const step of report.steps) expect(step.gpu?.gpus[0]?.samples).toBeGreaterThan(0);
    expect(report.harnessHealth?.gpuSampling?.samples).toBeGreaterThan(0);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('GPU during each measured step');
  });

  it.each([
    ['missing', 'absent'],
    ['dies', 'partial'],
    ['garbage', 'absent'],
  ])('nvidia-smi %s: the run completes, says telemetry is %s once, and no nvidia-smi is left', async (scenario, status) => {
    const dir = await mkdtemp(join(tmpdir(), `pipebench-${scenario}-`));
    const env = withFake(scenario);
    const result = await runCli(['run', join(FIXTURES, 'cli-tiny.yaml'), '--stages', 'classify', '--out', dir], env);
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    expect(report.steps).toHaveLength(2);
    expect(report.gpuTelemetry?.status).toBe(status);
    expect(report.gpuTelemetry?.reason).toBeTruthy();
    expect(report.warnings.filter((w) => w.startsWith('GPU telemetry'))).toHaveLength(1);
    expect(result.stderr.match(/warning: GPU telemetry/g)).toHaveLength(1);
    expect(await fakeSamplersAlive()).toEqual([]);
  });
});
