import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, runCli } from './cli-process.js';

const schema = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipebench-signoff-cli-'));
});

async function budgetsFile(name: string, text: string): Promise<string> {
  const path = join(out, name);
  await writeFile(path, text);
  return path;
}

const readReport = async (dir: string): Promise<RunReport> => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
const TINY = [
  'run',
  join(FIXTURES, 'cli-tiny.yaml'),
  '--backend',
  'wasm',
  '--no-gpu',
  '--quiet',
  '--stages',
  'classify',
  '--batch-sizes',
  '2',
];

describe('pipebench run --budgets (built binary)', () => {
  it('a stage over its budgets-file budget exits 1 naming the budget; the report carries the per-stage budgets', async () => {
    const budgets = await budgetsFile(
      'tight.yaml',
      'performance_budgets:\n  api_response_time: { p95: 0.01ms, p99: 0.02ms }\n  ml_pipeline: { p95: 3000ms, p99: 5000ms }\n',
    );
    const dir = join(out, 'tight');
    const result = await runCli([...TINY, '--requests', '8', '--no-stability', '--budgets', budgets, '--out', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`budget breached: classify has no batch size within api_response_time in ${budgets}`);
    const report = await readReport(dir);
    expect(report.stageBudgets.classify.p95Ms).toBe(0.01);
    expect(report.stageBudgets.pipeline.p95Ms).toBe(3000);
    expect(report.steps[0]!.withinBudget).toBe(false);
    expect(report.budgetMet).toBe(false);
  }, 60_000);

  it('a fired alert rule fails a run whose budgets are met, and is named', async () => {
    const budgets = await budgetsFile(
      'alert.yaml',
      'performance_budgets:\n  api_response_time: { p95: 60s, p99: 60s }\nalerts:\n  - p95(api_response_time) > 0.001ms for 1s\n',
    );
    const dir = join(out, 'alert');
    const result = await runCli([...TINY, '--duration', '2500ms', '--no-stability', '--budgets', budgets, '--out', dir]);
    expect(result.code).toBe(1);
    const report = await readReport(dir);
    expect(report.budgetMet).toBe(true);
    expect(report.alerts.map((a) => a.kind)).toEqual(['fired']);
    expect(result.stdout).toContain('budget breached: alert "p95(api_response_time) > 0.001ms for 1s"');
  }, 60_000);

  it('budgets met and no alert firing exits 0; a malformed budgets file exits 2 naming it', async () => {
    const ok = await budgetsFile('ok.yaml', 'performance_budgets:\n  api_response_time: { p95: 60s, p99: 60s }\n');
    const result = await runCli([...TINY, '--requests', '8', '--no-stability', '--budgets', ok, '--out', join(out, 'ok')]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('budget breached');
    const bad = await budgetsFile('bad.yaml', 'performance_budgets:\n  api_response_time: { p95: fast }\n');
    const refused = await runCli([...TINY, '--budgets', bad, '--out', join(out, 'bad')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bad.yaml');
  }, 60_000);

  it('--search and --repeat runs write schema-valid reports: the steps searched, the repeats merged', async () => {
    const searched = join(out, 'search');
    const search = await runCli([
      ...TINY.filter((a) => a !== '2' && a !== '--batch-sizes'),
      '--batch-sizes',
      '1,2,4',
      '--requests',
      '8',
      '--no-stability',
      '--search',
      '--out',
      searched,
    ]);
    expect(search.code).toBe(0);
    const searchReport = await readReport(searched);
    expect(validate(searchReport), JSON.stringify(validate.errors)).toBe(true);
    expect(searchReport.search).toHaveLength(1);
    expect(searchReport.search[0]!.stepsRun).toBe(searchReport.steps.length);
    const repeated = join(out, 'repeat');
    const repeat = await runCli([
      ...TINY,
      '--requests',
      '8',
      '--stability-windows',
      '2',
      '--max-extend',
      '0',
      '--repeat',
      '2',
      '--out',
      repeated,
    ]);
    expect(repeat.code).toBe(0);
    const repeatReport = await readReport(repeated);
    expect(validate(repeatReport), JSON.stringify(validate.errors)).toBe(true);
    expect(repeatReport.steps).toHaveLength(1);
    expect(repeatReport.steps[0]!.repeats?.itemsPerSec).toHaveLength(2);
    expect(repeatReport.steps[0]!.stability?.kind).toBe('unstable');
  }, 90_000);

  it('--repeat 2 --search is refused naming --repeat', async () => {
    const result = await runCli([...TINY, '--repeat', '2', '--search']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--repeat');
  });
});
