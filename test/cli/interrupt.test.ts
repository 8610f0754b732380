/**
 * Interruptions against the built CLI: SIGINT or SIGTERM during step 2 writes every output marked
 * partial and exits 130/143 with no child process left (a fake nvidia-smi that runs until killed is
 * first on PATH); `--resume` then continues in the same folder, keeping step 1 exactly as measured.
 */
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, runCli, startCli, stderrShows, type CliResult } from './cli-process.js';
import { cliEnv, eventually, taggedProcesses } from './process-tags.js';

const WORKLOAD = join(FIXTURES, 'cli-interrupt.yaml');
const SCENARIO = join(FIXTURES, 'cli-interrupt-scenario.yaml');
const OUTPUTS = ['report.json', 'report.md', 'junit.xml', 'steps.csv'];
const STACK_LINE = /^\s+at /m;

const schema = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipebench-interrupt-'));
});

async function readReport(dir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
}

async function mtimeMs(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );
}

/**
 * Starts a run and sends `signal` while step 2 measures: after step 1's line, once its outputs are
 * all written (report.html is the writer's last), step 2 warms up and measures 1.5 s. Returns the
 * run's result and the tagged processes seen just before the signal.
 */
async function interruptDuringStep2(
  dir: string,
  signal: 'SIGINT' | 'SIGTERM',
  tag: string,
): Promise<{ result: CliResult; before: { pid: number; cmdline: string }[] }> {
  const { child, done } = startCli(['run', WORKLOAD, '--backend', 'wasm', '--out', dir], cliEnv(tag));
  await stderrShows(child, /\] classify batch 1 [^:]*: /, 'step 1 did');
  const written = await eventually(async () => {
    const html = await mtimeMs(join(dir, 'report.html'));
    const json = await mtimeMs(join(dir, 'report.json'));
    return html !== null && json !== null && html >= json;
  }, 20_000);
  expect(written, 'step 1 outputs written').toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const before = await taggedProcesses(tag);
  child.kill(signal);
  return { result: await done, before };
}

/** Every output written, schema-valid, partial, step 1 complete and step 2 incomplete. */
async function expectPartialOutputs(dir: string, interruptedBy: 'SIGINT' | 'SIGTERM'): Promise<RunReport> {
  expect(await readdir(dir)).toEqual(expect.arrayContaining(OUTPUTS));
  const report = await readReport(dir);
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  expect(report).toMatchObject({ partial: true, interruptedBy });
  expect(report.steps.map((step) => [step.index, step.batchSize, step.complete])).toEqual([
    [0, 1, true],
    [1, 2, false],
  ]);
  expect(report.steps[0]!.completed).toBeGreaterThan(0);
  const md = await readFile(join(dir, 'report.md'), 'utf8');
  expect(md.length).toBeGreaterThan(0);
  return report;
}

/** The sampler was running before the signal, and neither it nor anything else the CLI started outlives it. */
async function expectNoChildrenLeft(before: readonly { pid: number; cmdline: string }[], tag: string): Promise<void> {
  expect(
    before.some((p) => p.cmdline.includes('nvidia-smi')),
    JSON.stringify(before),
  ).toBe(true);
  // The fake's own `sleep 0.1` between lines may outlive it by that much; nothing may stay longer.
  const allGone = await eventually(async () => (await taggedProcesses(tag)).length === 0, 3000);
  expect(allGone, JSON.stringify(await taggedProcesses(tag))).toBe(true);
}

describe('interrupting pipebench run, and --resume (built binary)', () => {
  let interrupted: RunReport;
  const sigintDir = (): string => join(out, 'sigint');

  it('SIGINT during step 2: exit 130, every output written and partial, no child process left', async () => {
    const tag = randomUUID();
    const { result, before } = await interruptDuringStep2(sigintDir(), 'SIGINT', tag);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(130);
    interrupted = await expectPartialOutputs(sigintDir(), 'SIGINT');
    expect(interrupted.resumedFrom).toBeNull();
    await expectNoChildrenLeft(before, tag);
  }, 90_000);

  it('refuses to resume with another batch size list, naming the field, and leaves the report alone', async () => {
    const saved = await readFile(join(sigintDir(), 'report.json'), 'utf8');
    const result = await runCli(['run', WORKLOAD, '--backend', 'wasm', '--batch-sizes', '1,2,8', '--resume', '--out', sigintDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resume');
    expect(result.stderr).toContain('workload.stages[classify].batchSizes');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(await readFile(join(sigintDir(), 'report.json'), 'utf8')).toBe(saved);
  }, 60_000);

  it('refuses --resume without --out, naming --resume', async () => {
    const result = await runCli(['run', WORKLOAD, '--backend', 'wasm', '--resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resume');
    expect(result.stderr).toContain('--out');
    expect(result.stderr).not.toContain('unknown option');
    expect(result.stderr).not.toMatch(STACK_LINE);
  }, 60_000);

  it('--resume continues from the last completed step: step 1 kept byte for byte, the rest measured', async () => {
    const result = await runCli(['run', WORKLOAD, '--backend', 'wasm', '--resume', '--out', sigintDir()], cliEnv(randomUUID()));
    expect(result.stderr).not.toMatch(STACK_LINE);
    const report = await readReport(sigintDir());
    expect(result.code).toBe(report.budgetMet ? 0 : 1);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ partial: false, interruptedBy: null, resumedFrom: { runId: interrupted.runId, stepsKept: 1 } });
    expect(report.steps.map((step) => [step.index, step.batchSize, step.complete])).toEqual([
      [0, 1, true],
      [1, 2, true],
      [2, 4, true],
    ]);
    const [kept, ...measured] = report.steps;
    expect(kept!.histograms).toEqual(interrupted.steps[0]!.histograms);
    expect(kept!.startedAtMs).toBe(interrupted.steps[0]!.startedAtMs);
    for (const step of measured) {
      expect(step.completed).toBeGreaterThan(0);
      expect(step.startedAtMs).toBeGreaterThan(interrupted.steps[1]!.endedAtMs);
    }
    expect(await readdir(sigintDir())).toEqual(expect.arrayContaining(OUTPUTS));
    // What the interrupted run said of step 2 is no longer true once it was measured again.
    expect(report.warnings.filter((warning) => warning.includes('did not complete'))).toEqual([]);
  }, 90_000);

  it('refuses to resume a run that finished', async () => {
    const result = await runCli(['run', WORKLOAD, '--backend', 'wasm', '--resume', '--out', sigintDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing to resume, the run finished');
  }, 60_000);

  it('SIGTERM during step 2: exit 143, partial outputs, no child process left', async () => {
    const tag = randomUUID();
    const dir = join(out, 'sigterm');
    const { result, before } = await interruptDuringStep2(dir, 'SIGTERM', tag);
    expect(result.code).toBe(143);
    await expectPartialOutputs(dir, 'SIGTERM');
    await expectNoChildrenLeft(before, tag);
  }, 90_000);
});

describe('interrupting a scenario, and --resume (built binary)', () => {
  it('SIGINT mid-scenario keeps the stages that ran to their end; --resume restarts the drive at the one cut short', async () => {
    const dir = join(out, 'scenario');
    const { child, done } = startCli(['run', SCENARIO, '--backend', 'wasm', '--out', dir], cliEnv(randomUUID()));
    // Stages run back to back (no outputs rendered between them), so once stage 1's line is out the
    // drive is inside stage 2. A loaded machine may print that line late and act on the signal late,
    // so the stage under way when SIGINT lands may be the second or the third: the test reads which.
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/\] ramp-up [^:]*: /.test(seen)) resolve();
      });
      child.once('exit', () => reject(new Error(`the run ended before its first stage did: ${seen}`)));
    });
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const interruptedRun = await readReport(dir);
    expect(validate(interruptedRun), JSON.stringify(validate.errors)).toBe(true);
    expect(interruptedRun).toMatchObject({ partial: true, interruptedBy: 'SIGINT' });
    const names = ['ramp-up', 'hold', 'hold-more'];
    const kept = interruptedRun.steps.filter((step) => step.complete).length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(names.length);
    // The stages that ran to their end, then the one the signal cut short.
    expect(interruptedRun.steps.map((step) => [step.profile?.name, step.complete])).toEqual([
      ...names.slice(0, kept).map((name) => [name, true]),
      [names[kept], false],
    ]);
    expect(interruptedRun.scenario?.stagesRun).toBe(kept);

    const result = await runCli(['run', SCENARIO, '--backend', 'wasm', '--resume', '--out', dir], cliEnv(randomUUID()));
    expect(result.stderr).not.toMatch(STACK_LINE);
    const resumed = await readReport(dir);
    expect(result.code).toBe(resumed.budgetMet ? 0 : 1);
    expect(validate(resumed), JSON.stringify(validate.errors)).toBe(true);
    expect(resumed).toMatchObject({ partial: false, resumedFrom: { runId: interruptedRun.runId, stepsKept: kept } });
    expect(resumed.steps.map((step) => [step.profile?.name, step.complete])).toEqual(names.map((name) => [name, true]));
    for (let i = 0; i < kept; i++) expect(resumed.steps[i]!.histograms).toEqual(interruptedRun.steps[i]!.histograms);
    // The drive restarts at the stage that was cut short: measured anew, after the interrupted run.
    expect(resumed.steps[kept]!.startedAtMs).toBeGreaterThan(interruptedRun.steps[kept]!.endedAtMs);
    expect(resumed.scenario?.stagesRun).toBe(3);
    expect(resumed.warnings.filter((warning) => warning.includes('did not complete'))).toEqual([]);
  }, 90_000);
});
