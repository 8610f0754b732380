/**
 * bench:adaptive — samples an adaptive plan (measure.precision) spends against a fixed-count plan
 * sized to reach the same p95 interval width.
 *
 *   npm run bench:adaptive -- [--precision 5%] [--concurrency 32] [--cap 60s]
 *
 * One loopback server (its own process, known-latency-server.ts) with three known service-time
 * distributions, one step each: tight, log-normal spread, long tail. First every step runs
 * adaptively (stability off, so the interval alone decides) and the samples each needed are
 * counted. A fixed-count plan gives every step one count; to reach the width on every step it
 * needs the largest of those counts, so it then runs every step with that count, and the table
 * shows the width each reached. Goal: fixed / adaptive samples >= 2.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StepReport } from '../core/report/step.js';
import { intervalHalfWidthRatio } from '../analysis/e2e-confidence.js';
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
    cap: { type: 'string', default: '60s' },
  },
});
const PATHS = ['tight', 'spread', 'tail'] as const;
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const environment = await collectEnvironment();

/** One step against `path`, measured as `measure` (YAML) says; its report step. */
async function measureOne(port: number, path: string, measure: string): Promise<StepReport> {
  const workload = parseWorkload(
    `name: bench-adaptive-${path}
corpus: { path: ${JSON.stringify(BUILTIN_CORPUS_PATH)} }
target: { url: "http://127.0.0.1:${port}/${path}", protocol: template, health: false, template: { body: '{"text": {{text}}}', output: label } }
warmup: { requests: ${4 * Number(values.concurrency)} }
measure: ${measure}
stability: false
stages: [{ stage: classify, concurrency: [${Number(values.concurrency)}] }]
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
      runId: path,
      environment,
      openTarget: () => createHttpTarget(spec, { env: {} }),
    });
    const step = report.steps[0];
    if (step === undefined) throw new Error(`no step measured against /${path}`);
    return step;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

function width(step: StepReport): string {
  const ratio = step.e2eConfidence === null ? null : intervalHalfWidthRatio(step.e2eConfidence.p95);
  return ratio === null ? 'unbounded' : `+-${(ratio * 100).toFixed(1)} %`;
}

const server = spawn(process.execPath, [here('./known-latency-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const { port } = await firstJsonLine<{ port: number }>(server);
  console.log(`bench:adaptive against a loopback server on :${port}: p95 to ${values.precision}, ${values.concurrency} in flight\n`);
  const adaptive: StepReport[] = [];
  for (const path of PATHS) adaptive.push(await measureOne(port, path, `{ precision: ${values.precision}, maxDuration: ${values.cap} }`));
  const fixedCount = Math.max(...adaptive.map((step) => step.measured ?? 0));
  const fixed: StepReport[] = [];
  for (const path of PATHS) fixed.push(await measureOne(port, path, `{ requests: ${fixedCount}, maxDuration: 10m }`));
  console.log('| step | p95 ms | adaptive samples | adaptive ended by | adaptive p95 interval | fixed samples | fixed p95 interval |');
  console.log('| --- | ---: | ---: | --- | --- | ---: | --- |');
  PATHS.forEach((path, i) => {
    const a = adaptive[i]!;
    const f = fixed[i]!;
    console.log(
      `| ${path} | ${a.latencyMs.e2e?.p95.toFixed(1) ?? '-'} | ${a.measured} | ${a.endedBy} | ${width(a)} | ${f.measured} | ${width(f)} |`,
    );
  });
  const adaptiveTotal = adaptive.reduce((sum, step) => sum + (step.measured ?? 0), 0);
  const fixedTotal = fixed.reduce((sum, step) => sum + (step.measured ?? 0), 0);
  const ratio = fixedTotal / adaptiveTotal;
  console.log(
    `\nsamples: adaptive ${adaptiveTotal}, fixed ${fixedTotal} (${fixedCount} a step): fixed / adaptive = ${ratio.toFixed(2)}x (goal >= 2x: ${ratio >= 2 ? 'met' : 'not met'})`,
  );
  const capped = PATHS.filter((_, i) => adaptive[i]!.endedBy === 'maxDuration');
  if (capped.length > 0) console.log(`adaptive steps that hit the cap before the interval: ${capped.join(', ')}`);
  // Judged at the stop; the requests still in flight then land in the final interval too.
  console.log('(an adaptive interval is judged when the step stops; what was in flight then can move it a little)');
} finally {
  server.kill('SIGTERM');
}
