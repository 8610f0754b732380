/**
 * .github/workflows/gpu-benchmark.yml is an example for a self-hosted GPU runner that never runs here,
 * so this lints it: GitHub's schema, its references, pinned actions, least permissions, and every
 * pipebench command line against the built CLI. The last tests break the workflow on purpose and see
 * the lint say so, so a lint that passes everything would fail here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { CliHelp } from './cli-help.js';
import { REPO_ROOT, lintWorkflow, pipebenchCommands } from './lint-workflow.js';

const NAME = '.github/workflows/gpu-benchmark.yml';
const TEXT = readFileSync(join(REPO_ROOT, NAME), 'utf8');
const WORKFLOW = parse(TEXT) as Record<string, unknown>;
const cli = new CliHelp();

interface Job {
  readonly permissions?: Record<string, string>;
  readonly 'runs-on': unknown;
}
const jobs = WORKFLOW['jobs'] as Record<string, Job>;

describe('the GPU benchmark workflow', () => {
  test('passes the lint: schema, references, pinned actions, pipebench command lines, files', async () => {
    expect(await lintWorkflow(NAME, TEXT, cli)).toEqual([]);
  }, 120_000); // one CLI process per --help asked, on a loaded 2-core machine

  test('runs the PR smoke scenario, the sweep with GPU telemetry, compare, and checks the GPU first', () => {
    const lines = pipebenchCommands(WORKFLOW).map((argv) => argv.join(' '));
    expect(lines).toEqual([
      'gpu info --json',
      'setup native --gpu --check',
      'run --scenario $SCENARIO --schedule pr-smoke --backend tensorflow-gpu --gpu-interval 100ms --out bench/smoke',
      'run workloads/default.yaml --backend tensorflow-gpu --repeat 3 --gpu-interval 100ms --out bench/sweep',
      'compare bench/baseline/report.json bench/sweep/report.json --threshold $THRESHOLD --markdown bench/compare.md --html bench/compare.html --json bench/compare.json',
    ]);
  });

  test('asks for the least permissions: none by default, writing only in the job on a hosted runner', () => {
    expect(WORKFLOW['permissions']).toEqual({});
    expect(jobs['benchmark']?.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(jobs['benchmark']?.['runs-on']).toContain('self-hosted');
    expect(jobs['comment']?.permissions).toEqual({ 'pull-requests': 'write' });
    expect(jobs['comment']?.['runs-on']).toBe('ubuntu-latest');
  });
});

describe('the workflow lint finds what rots', () => {
  // what it breaks, the text replaced, its replacement, what the lint must then say
  // prettier-ignore
  const broken: readonly (readonly [string, string, string, string])[] = [
    ['an unknown key', 'runs-on: [self-hosted', 'run-on: [self-hosted', "Unexpected value 'run-on'"],
    ['an input not declared', 'inputs.scenario ||', 'inputs.scenarios ||', 'env.SCENARIO: inputs.scenarios: no such input'],
    ['a step that does not exist', 'steps.sweep.outputs.exit }}', 'steps.sweeps.outputs.exit }}', 'jobs.benchmark.outputs.sweep-exit: steps.sweeps.outputs.exit: no step with id sweeps'],
    ['a step used before it runs', "if: steps.baseline.outputs.run-id != ''\n", "if: steps.sweep.outputs.exit != ''\n", 'steps.sweep.outputs.exit: step sweep does not run before this point'],
    ['a job not in needs', 'needs: benchmark', 'needs: []', 'needs.benchmark.result: job comment does not list benchmark in needs'],
    ['a step output never set', 'steps.smoke.outputs.exit }}', 'steps.smoke.outputs.code }}', 'step smoke sets no output code'],
    ['a job output not declared', 'needs.benchmark.outputs.smoke-exit', 'needs.benchmark.outputs.smoke-code', 'job benchmark declares no output smoke-code'],
    ['an env variable never set', 'env.BASELINE_ARTIFACT }}\n          path: bench/baseline', 'env.BASELINE }}\n          path: bench/baseline', 'env.BASELINE: not set'],
    ['a flag the CLI lacks', '--repeat 3', '--repeats 3', '--repeats is not a flag of this command'],
    ['a subcommand the CLI lacks', 'pipebench gpu info --json', 'pipebench gpu inventory --json', '"inventory" is not a subcommand of pipebench gpu'],
    ['a flag without its value', '--gpu-interval 100ms --out bench/sweep', '--gpu-interval 100ms --out', '--out needs a value'],
    ['a missing argument', 'compare bench/baseline/report.json bench/sweep/report.json', 'compare bench/sweep/report.json', '1 arguments, expected 2 to 2'],
    ['an action not pinned to a major version', 'actions/checkout@v4', 'actions/checkout@main', 'uses: actions/checkout@main is not pinned'],
    ['a workload that is not in the repository', 'workloads/default.yaml', 'workloads/defaults.yaml', 'file: workloads/defaults.yaml is not in the repository'],
  ];
  test.each(broken)('%s', async (_what, from, to, expected) => {
    expect(TEXT).toContain(from);
    const problems = await lintWorkflow(NAME, TEXT.replace(from, to), cli);
    expect(problems.join('\n')).toContain(expected);
  });
});
