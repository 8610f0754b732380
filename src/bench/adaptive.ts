/**
 * bench:adaptive — samples an adaptive plan (measure.precision) spends against a fixed-count plan
 * sized to reach the same p95 interval width.
 *
 *   npm run bench:adaptive -- [--precision 5%] [--concurrency 32] [--sweep-concurrency 8] [--cap 60s]
 *
 * One loopback server (its own process, known-latency-server.ts), two workloads:
 * - distributions: three known service-time distributions at batch 1 (tight, log-normal spread,
 *   long tail), one step each, `--concurrency` in flight;
 * - batch sweep: a model served in batches (a call of b texts takes (20 + 2 b) ms x log-normal
 *   noise), batch 1 to 64 as a sweep measures it, `--sweep-concurrency` requests in flight. The
 *   items of one call share its latency, so a step's independent samples are its calls.
 * First every step runs adaptively (stability off, so the interval alone decides) and the items
 * each needed are counted. A fixed-count plan gives every step of a workload one count (items, as
 * `measure.requests` does); to reach the width on every step it needs the largest of those counts,
 * so each workload then runs every step with that count, and the table shows the width each
 * reached. Goal: fixed / adaptive samples >= 2.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StepReport } from '../core/report/step.js';
import { independentSamples, intervalHalfWidthRatio } from '../analysis/e2e-confidence.js';
import { runBenchmark } from '../runner/run-benchmark.js';
import { createHttpTarget } from '../targets/http/target.js';
import { collectEnvironment } from '../telemetry/environment.js';
import { BUILTIN_CORPUS_PATH } from '../workload/defaults.js';
import { parseWorkload } from '../workload/load.js';
import { firstJsonLine } from './child-rounds.js';

const { values } = parseArgs({
  options: {
    precision: { type: 'string', default: '5%' },
    concurrency: { type: 'string', default: '32' },
    'sweep-concurrency': { type: 'string', default: '8' },
    cap: { type: 'string', default: '60s' },
  },
});
const SWEEP_BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64];
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const environment = await collectEnvironment();

/** One workload of the bench: where its steps go and how they are loaded. */
interface BenchWorkload {
  readonly name: string;
  /** One run per entry: the path and the stage entry (YAML) of its steps. */
  readonly runs: readonly { readonly path: string; readonly stage: string; readonly warmup: string }[];
}

const concurrency = Number(values.concurrency);
const sweepConcurrency = Number(values['sweep-concurrency']);
const WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'distributions',
    runs: ['tight', 'spread', 'tail'].map((path) => ({
      path,
      stage: `{ stage: classify, concurrency: [${concurrency}] }`,
      warmup: `{ requests: ${4 * concurrency} }`,
    })),
  },
  {
    name: 'batch sweep',
    runs: [
      {
        path: 'batch',
        stage: `{ stage: classify, batchSizes: [${SWEEP_BATCH_SIZES.join(', ')}], concurrency: [${sweepConcurrency}] }`,
        warmup: '{ duration: 500ms }',
      },
    ],
  },
];

/** The steps of one run against `path`, measured as `measure` (YAML) says. */
async function measureRun(port: number, run: BenchWorkload['runs'][number], measure: string): Promise<StepReport[]> {
  const body = run.path === 'batch' ? `'{"texts": {{texts}}}'` : `'{"text": {{text}}}'`;
  const workload = parseWorkload(
    `name: bench-adaptive-${run.path}
corpus: { path: ${JSON.stringify(BUILTIN_CORPUS_PATH)} }
target: { url: "http://127.0.0.1:${port}/${run.path}", protocol: template, health: false, template: { body: ${body}, output: label } }
warmup: ${run.warmup}
measure: ${measure}
stability: false
stages: [${run.stage}]
`,
    join(tmpdir(), 'bench-adaptive.yaml'),
    tmpdir(),
  );
  const spec = workload.target;
  if (spec.kind !== 'http') throw new Error('expected an HTTP workload');
  const outDir = await mkdtemp(join(tmpdir(), 'pipebench-bench-adaptive-'));
  try {
    const { report } = await runBenchmark({
      workload,
      outDir,
      runId: run.path,
      environment,
      openTarget: () => createHttpTarget(spec, { env: {} }),
    });
    if (report.steps.length === 0) throw new Error(`no step measured against /${run.path}`);
    return [...report.steps];
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function measureWorkload(port: number, workload: BenchWorkload, measure: (run: BenchWorkload['runs'][number]) => string) {
  const steps: { path: string; step: StepReport }[] = [];
  for (const run of workload.runs) for (const step of await measureRun(port, run, measure(run))) steps.push({ path: run.path, step });
  return steps;
}

function width(step: StepReport): string {
  const ratio = step.e2eConfidence === null ? null : intervalHalfWidthRatio(step.e2eConfidence.p95);
  return ratio === null ? 'unbounded' : `+-${(ratio * 100).toFixed(1)} %`;
}

const items = (step: StepReport): number => step.measured ?? 0;
const calls = (step: StepReport): number => independentSamples(items(step), step.meanBatchSize);
const seconds = (step: StepReport): number => step.measuredMs / 1000;
const sum = (steps: readonly StepReport[], of: (step: StepReport) => number): number => steps.reduce((total, step) => total + of(step), 0);

interface Totals {
  readonly adaptive: StepReport[];
  readonly fixed: StepReport[];
}

function printWorkload(workload: BenchWorkload, fixedCount: number, rows: Totals): void {
  console.log(`\n${workload.name}: the fixed plan measures ${fixedCount} items a step\n`);
  console.log(
    '| step | p95 ms | adaptive items (calls) | adaptive s | ended by | adaptive p95 interval | fixed items (calls) | fixed s | fixed p95 interval | fixed / adaptive items |',
  );
  console.log('| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | ---: |');
  rows.adaptive.forEach((a, i) => {
    const f = rows.fixed[i]!;
    const name = workload.runs.length > 1 ? workload.runs[i]!.path : `batch ${a.batchSize}`;
    console.log(
      `| ${name} | ${a.latencyMs.e2e?.p95.toFixed(1) ?? '-'} | ${items(a)} (${calls(a)}) | ${seconds(a).toFixed(1)} | ${a.endedBy} | ${width(a)} | ${items(f)} (${calls(f)}) | ${seconds(f).toFixed(1)} | ${width(f)} | ${(items(f) / items(a)).toFixed(2)}x |`,
    );
  });
  printTotals(workload.name, rows);
}

function printTotals(name: string, { adaptive, fixed }: Totals): void {
  const ratio = sum(fixed, items) / sum(adaptive, items);
  console.log(
    `${name}: items adaptive ${sum(adaptive, items)}, fixed ${sum(fixed, items)}: fixed / adaptive = ${ratio.toFixed(2)}x` +
      ` (calls ${sum(fixed, calls)} / ${sum(adaptive, calls)} = ${(sum(fixed, calls) / sum(adaptive, calls)).toFixed(2)}x;` +
      ` measured s ${sum(fixed, seconds).toFixed(1)} / ${sum(adaptive, seconds).toFixed(1)} = ${(sum(fixed, seconds) / sum(adaptive, seconds)).toFixed(2)}x)`,
  );
}

const server = spawn(process.execPath, [here('./known-latency-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const { port } = await firstJsonLine<{ port: number }>(server);
  console.log(
    `bench:adaptive against a loopback server on :${port}: p95 to ${values.precision}; distributions ${concurrency} in flight, batch sweep ${sweepConcurrency}`,
  );
  const all: Totals = { adaptive: [], fixed: [] };
  for (const workload of WORKLOADS) {
    const adaptive = await measureWorkload(port, workload, () => `{ precision: ${values.precision}, maxDuration: ${values.cap} }`);
    const fixedCount = Math.max(...adaptive.map(({ step }) => items(step)));
    const fixed = await measureWorkload(port, workload, () => `{ requests: ${fixedCount}, maxDuration: 10m }`);
    const rows = { adaptive: adaptive.map(({ step }) => step), fixed: fixed.map(({ step }) => step) };
    printWorkload(workload, fixedCount, rows);
    all.adaptive.push(...rows.adaptive);
    all.fixed.push(...rows.fixed);
    const capped = adaptive.filter(({ step }) => step.endedBy === 'maxDuration');
    if (capped.length > 0)
      console.log(
        `adaptive steps that hit the cap before the interval: ${capped.map(({ path, step }) => `${path} batch ${step.batchSize}`).join(', ')}`,
      );
  }
  console.log('');
  printTotals('overall', all);
  const ratio = sum(all.fixed, items) / sum(all.adaptive, items);
  console.log(`goal fixed / adaptive samples >= 2x: ${ratio >= 2 ? 'met' : 'not met'}`);
  // Judged at the stop; the requests still in flight then land in the final interval too.
  console.log('(an adaptive interval is judged when the step stops; what was in flight then can move it a little)');
} finally {
  server.kill('SIGTERM');
}
