/**
 * The library entry as a user gets it: `npm pack` the package, unpack the tarball into a temporary
 * project's node_modules/pipebench (what `npm install <tarball>` does for the package itself; its
 * dependencies come from this repo's node_modules through a link, so the test needs no registry),
 * then import it from plain Node ESM and type-check a TypeScript file against its types.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let project = '';

function run(
  command: string,
  args: readonly string[],
  cwd: string,
): { readonly status: number | null; readonly stdout: string; readonly stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'pipebench-pack-'));
  // dist/ is fresh from the global setup's build: pack it as it is, without running `prepare` again.
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ readonly filename: string }];
  const installed = join(project, 'node_modules', 'pipebench');
  mkdirSync(installed, { recursive: true });
  const unpacked = run('tar', ['-xzf', join(project, filename), '-C', installed, '--strip-components=1'], project);
  expect(unpacked.status, unpacked.stderr).toBe(0);
  symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}, 180_000);

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

describe("import 'pipebench' from the packed tarball", () => {
  it('loads in plain Node ESM: runs, reports and the report model are there, and a workload plans', () => {
    const workload = join(ROOT, 'workloads', 'quick.yaml');
    const script = `
      import * as pipebench from 'pipebench';
      const workload = await pipebench.loadWorkload(${JSON.stringify(workload)});
      console.log(JSON.stringify({
        functions: ['runWorkload', 'runBenchmark', 'loadWorkload', 'loadReport', 'reanalyze', 'compareRuns', 'exitCodeForRun', 'planSteps']
          .filter((name) => typeof pipebench[name] === 'function'),
        schemaVersion: pipebench.REPORT_SCHEMA_VERSION,
        stages: pipebench.STAGES,
        inputError: new pipebench.InputError('field', 'why') instanceof pipebench.PipebenchError,
        steps: pipebench.planSteps(workload).length,
        planned: pipebench.planSteps(pipebench.resolveRunPlan(workload, { batchSizes: [1], stages: ['classify'] })).length,
      }));
    `;
    const result = run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      functions: ['runWorkload', 'runBenchmark', 'loadWorkload', 'loadReport', 'reanalyze', 'compareRuns', 'exitCodeForRun', 'planSteps'],
      schemaVersion: 1,
      stages: ['classify', 'generate', 'pipeline'],
      inputError: true,
      steps: expect.any(Number),
      planned: 1,
    });
    expect(JSON.parse(result.stdout).steps).toBeGreaterThan(0);
  });

  it('only the entry is exported: a deep import into dist/ is refused', () => {
    const result = run(process.execPath, ['--input-type=module', '-e', "await import('pipebench/dist/runner/run-benchmark.js');"], project);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('type-checks from TypeScript: the API and the report model resolve, and a wrong field is an error', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { compareRuns, loadReport, runWorkload, REPORT_SCHEMA_VERSION, type RunReport, type StepReport, type CompareResult } from 'pipebench';

export const version: 1 = REPORT_SCHEMA_VERSION;

export async function compareSaved(baseline: string, candidate: string): Promise<CompareResult> {
  const [a, b]: RunReport[] = await Promise.all([loadReport(baseline), loadReport(candidate)]);
  return compareRuns(a, b);
}

export async function p95s(workload: string): Promise<(number | null)[]> {
  const { report } = await runWorkload(workload, { outDir: '/tmp/out' });
  const steps: readonly StepReport[] = report.steps;
  return steps.map((step) => step.latencyMs.e2e?.p95 ?? null);
}

// @ts-expect-error the report model has no field "stepz"
export const misspelt = (null as unknown as RunReport).stepz;
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const result = run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
