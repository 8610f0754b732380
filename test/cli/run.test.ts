import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, runCli, startCli } from './cli-process.js';
import { eventually } from './process-tags.js';

const schema = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipebench-cli-'));
});

async function readReport(dir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
}

/** A stack trace line, which users must never see for input errors. */
const STACK_LINE = /^\s+at /m;

describe('pipebench run (built binary)', () => {
  it('sweeps, writes a schema-valid report.json and report.md, and exits 0 when the budget is met', async () => {
    const dir = join(out, 'ok');
    const result = await runCli(['run', join(FIXTURES, 'cli-tiny.yaml'), '--backend', 'wasm', '--out', dir]);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    const report = await readReport(dir);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.partial).toBe(false);
    expect(report.steps.map((s) => [s.stage, s.batchSize])).toEqual([
      ['classify', 1],
      ['classify', 4],
      ['pipeline', 2],
    ]);
    for (const step of report.steps) {
      expect(step.completed).toBe(24);
      expect(step.latencyMs.e2e!.p95).toBeGreaterThan(0);
      expect(step.latencyMs.e2e!.p95).toBeGreaterThanOrEqual(step.latencyMs.inference!.p50);
    }
    expect(report.recommendation.map((r) => r.stage)).toEqual(['classify', 'pipeline']);
    expect(report.backend?.name).toBe('wasm');
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('## classify');
    expect(md).toContain('**Recommendation:**');
    expect(result.stdout).toContain('budget met');
    expect(result.stdout).toContain(join(dir, 'report.json'));
  });

  it('exits 1 and says so when no batch size meets the budget', async () => {
    const dir = join(out, 'over-budget');
    const result = await runCli([
      'run',
      join(FIXTURES, 'cli-tiny.yaml'),
      '--stages',
      'classify',
      '--batch-sizes',
      '2',
      '--requests',
      '8',
      '--p95',
      '0.01ms',
      '--out',
      dir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('budget NOT met');
    const report = await readReport(dir);
    expect(report.budgetMet).toBe(false);
    expect(report.steps[0]!.withinBudget).toBe(false);
    expect(report.recommendation[0]!.batchSize).toBeNull();
  });

  it.each([
    [['run', join(FIXTURES, 'malformed.yaml')], 'malformed.yaml:'],
    [['run', join(FIXTURES, 'cli-tiny.yaml'), '--batch-sizes', '0,4'], '--batch-sizes'],
    [['run', join(FIXTURES, 'cli-tiny.yaml'), '--backend', 'tpu'], '--backend'],
    [['run', join(FIXTURES, 'cli-tiny.yaml'), '--duration', '-3s'], '--duration'],
    [['run', join(FIXTURES, 'missing-corpus.yaml')], 'missing-corpus.yaml'],
    [['run', join(FIXTURES, 'does-not-exist.yaml')], 'does-not-exist.yaml'],
    [['run', '--no-such-flag'], "unknown option '--no-such-flag'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('bad input %j exits 2 naming %s, without a stack trace', async (args, named) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(named);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('--version and --help exit 0', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--batch-sizes');
    expect(help.stdout).toContain('Examples:');
  });

  it('SIGINT mid-run writes a partial report of what was measured and exits 130', async () => {
    const dir = join(out, 'interrupted');
    const windows = join(out, 'interrupted.jsonl');
    const { child, done } = startCli(['run', join(FIXTURES, 'cli-long.yaml'), '--out', dir, '--out-jsonl', windows]);
    // Interrupt once the second step has measured items (its first 1 s window closed), so one step
    // is complete and one is not, however long start-up, the outputs and its first call took.
    const measuring = await eventually(async () => {
      const lines = await readFile(windows, 'utf8').catch(() => '');
      return lines
        .split('\n')
        .some((line) => line.includes('"type":"window"') && line.includes('"stepIndex":1') && !line.includes('"completed":0,'));
    }, 60_000);
    expect(measuring, 'step 2 measured within 60 s').toBe(true);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    const report = await readReport(dir);
    expect(report.partial).toBe(true);
    expect(report.interruptedBy).toBe('SIGINT');
    expect(report.steps).toHaveLength(2);
    expect(report.steps[0]!.complete).toBe(true);
    expect(report.steps[1]!.complete).toBe(false);
    expect(report.steps[1]!.completed).toBeGreaterThan(0);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // Every output the writer makes, and no half-written temporary file beside them.
    const written = await readdir(dir);
    expect(written).toEqual(expect.arrayContaining(['report.json', 'report.md']));
    expect(written.filter((name) => !/^(report|steps|junit)\.[a-z]+$/.test(name))).toEqual([]);
  }, 90_000);
});
