/**
 * pipebench run on the native backend, through the built CLI: 'auto' picks tfjs-node in child
 * processes, report.json says which TensorFlow runs and what it sees, each step's first call is
 * measured apart, TensorFlow's start-up logging stays out of stderr, and SIGINT leaves no child
 * process behind. Skipped where `pipebench setup native` never ran; required in CI.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { installedPackageDir, readManifest } from '../../src/targets/inprocess/native/manifest.js';
import { describeWhenReady, nativeStatus } from '../targets/inprocess/native/native-status.js';
import { FIXTURES, runCli, startCli, stderrShows } from './cli-process.js';
import { cliEnv, eventually, taggedProcesses } from './process-tags.js';

const STACK_LINE = /^\s+at /m;
const TENSORFLOW_LOGGING = /I0000|W0000|absl::InitializeLog|cpu_feature_guard|oneDNN custom operations/;
const schema = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const status = nativeStatus();

describeWhenReady(status, 'pipebench run on the native backend (built CLI)', () => {
  it('auto runs tfjs-node in two child processes; report.json names its TensorFlow, build and devices; stderr stays free of TensorFlow logging', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pipebench-native-run-'));
    const result = await runCli(['run', join(FIXTURES, 'cli-tiny.yaml'), '--instances', '2', '--out', out, '--no-gpu']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toMatch(TENSORFLOW_LOGGING);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.backend).toMatchObject({ name: 'tensorflow', isolation: 'process', instances: 2 });
    // 'auto' takes tfjs-node-gpu first where setup built it too (on a machine without a GPU it runs on the CPU).
    const manifest = readManifest(installedPackageDir(report.backend!.package)!);
    expect(report.backend?.native).toMatchObject({
      tensorflowVersion: manifest!.tensorflow.version,
      cudaBuild: manifest!.tensorflow.cudaBuild,
      devices: expect.arrayContaining([expect.objectContaining({ type: 'CPU' })]),
      builtFrom: `pipebench setup native from ${manifest!.source.description}`,
    });
    for (const step of report.steps) {
      expect(step.completed).toBe(24);
      expect(step.coldStartMs).toBeGreaterThan(0);
    }
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain(`TensorFlow ${manifest!.tensorflow.version} C library`);
    expect(md).toContain('| first call |');
  }, 180_000);

  it('SIGINT during a run leaves no native child process behind, exit 130, outputs partial', async () => {
    const tag = randomUUID();
    const out = await mkdtemp(join(tmpdir(), 'pipebench-native-sigint-'));
    const { child, done } = startCli(
      ['run', join(FIXTURES, 'cli-interrupt.yaml'), '--backend', 'tensorflow', '--instances', '2', '--out', out],
      cliEnv(tag),
    );
    await stderrShows(child, /\] classify batch 1 [^:]*: /, 'step 1 did');
    const before = await taggedProcesses(tag);
    const instances = before.filter((p) => p.cmdline.includes('instance-main.js'));
    expect(instances, JSON.stringify(before)).toHaveLength(2);
    // Each instance runs with TensorFlow's start-up logging quieted (the user set no level).
    for (const instance of instances) {
      const environ = (await readFile(`/proc/${instance.pid}/environ`, 'utf8')).split('\0');
      expect(environ).toContain('TF_CPP_MIN_LOG_LEVEL=2');
    }
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report).toMatchObject({ partial: true, interruptedBy: 'SIGINT' });
    const allGone = await eventually(async () => (await taggedProcesses(tag)).length === 0, 3000);
    expect(allGone, JSON.stringify(await taggedProcesses(tag))).toBe(true);
  }, 180_000);
});
