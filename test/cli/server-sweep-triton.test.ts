/**
 * Server sweeps against Triton's model-control API (issue 15), end to end: the built CLI loads the
 * model into a fake Triton (test/fixtures/servers/fake-triton.ts: the repository extension, model
 * ready, KServe v2 infer behind a dynamic batcher that applies the loaded config) once per
 * configuration. No real Triton runs here.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { runCli } from './cli-process.js';
import { startFakeTriton, type FakeTriton } from '../fixtures/servers/fake-triton.js';

const REPO = join(import.meta.dirname, '..', '..');
const PROMPTS = join(import.meta.dirname, '..', 'fixtures', 'workloads', 'prompts.jsonl');
const schema = JSON.parse(await readFile(join(REPO, 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

let dir: string;
let triton: FakeTriton;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipebench-triton-sweep-'));
  triton = await startFakeTriton({ model: 'intent', aMs: 100, cMs: 2, maxBatchLimit: 64, loadMs: 300 });
});
afterAll(async () => {
  await triton.close();
  await rm(dir, { recursive: true, force: true });
});

/** `search`: false runs the grid. */
function tritonWorkload(params: string, search?: false): string {
  return `name: triton-sweep
corpus: { path: ${PROMPTS} }
target:
  url: ${triton.url}
  protocol: kserve-v2
  kserve: { models: { classify: intent } }
server:
  triton: { url: ${triton.url}, model: intent, config: { backend: python, instance_group: [{ kind: KIND_GPU }] }, unload: true }
  readyTimeout: 5s
  params: ${params}
${search === false ? '  search: false\n' : ''}warmup: { duration: 300ms }
measure: { duration: 2s, maxDuration: 20s }
stability: false
budget: { p95: 2s, p99: 4s, maxErrorRate: 1% }
stages: [{ stage: classify, concurrency: [32] }]
`;
}

async function run(name: string, workload: string): Promise<{ report: RunReport; stdout: string; stderr: string; code: number | null }> {
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, workload);
  const out = join(dir, name);
  const result = await runCli(['run', path, '--out', out, '--quiet']);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return { ...result, report: JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport };
}

describe('pipebench run with server.triton', () => {
  /*
   * By hand, as test/cli/server-sweep.test.ts (the same batcher, T(b) = 100 + 2 b ms, 32 in flight):
   * queue delay 0 reaches ~121 items/s from max batch 16 on; queue delay 100 ms with max batch 32
   * fills a batch of 32 each time: ~190 items/s; 64 never fills and waits 100 ms: ~121.
   */
  it('loads each configuration with its config override, finds the hand-computed best, and unloads at the end', async () => {
    const loadsBefore = triton.loads.length;
    const { report, stdout, code } = await run('search', tritonWorkload('{ maxQueueDelayMs: [0, 100], maxBatchSize: [8, 16, 32, 64] }'));
    const sweep = report.serverSweep!;
    expect(sweep.chosen?.params).toEqual({ maxQueueDelayMs: 100, maxBatchSize: 32 });
    expect(sweep.configurations.every((config) => config.state === 'measured')).toBe(true);
    expect(sweep.runsSpent).toBeLessThan(sweep.gridConfigurations);
    // What Triton received: the base config with the swept fields set in Triton's own names.
    const loads = triton.loads.slice(loadsBefore);
    expect(loads).toHaveLength(sweep.runsSpent);
    expect(loads).toContainEqual({
      backend: 'python',
      instance_group: [{ kind: 'KIND_GPU' }],
      max_batch_size: 32,
      dynamic_batching: { max_queue_delay_microseconds: 100_000 },
    });
    expect(sweep.configurations[0]!.command).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/v2\/repository\/models\/intent\/load \{"parameters":\{"config":"/,
    );
    expect(triton.unloads).toBe(1);
    expect(report.steps.every((step) => step.complete && step.errors.total === 0)).toBe(true);
    expect(stdout).toContain('server: maxQueueDelayMs=100 maxBatchSize=32: ');
    // The winner in Triton's own terms: the config.pbtxt fields the sweep set.
    expect(sweep.chosen?.serverTermsKind).toBe('config.pbtxt');
    expect(sweep.chosen?.serverTerms).toBe('max_batch_size: 32\ndynamic_batching {\n  max_queue_delay_microseconds: 100000\n}');
    expect(stdout).toContain('  server config.pbtxt:\n    max_batch_size: 32\n    dynamic_batching {\n');
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(code).toBe(0);
  }, 180_000);

  it("a load Triton refuses costs that configuration only, marked failed with Triton's error text", async () => {
    const { report, stdout } = await run('refused', tritonWorkload('{ instances: [2], maxBatchSize: [16, 128, 32] }', false));
    const configs = report.serverSweep!.configurations;
    expect(configs.map((c) => [c.params.maxBatchSize, c.state])).toEqual([
      [16, 'measured'],
      [128, 'failed'],
      [32, 'measured'],
    ]);
    const refused = configs.find((c) => c.params.maxBatchSize === 128)!;
    expect(refused.failure).toBe(
      "Triton refused to load intent (400): load failed for model 'intent': version 1 is at UNAVAILABLE state: Invalid argument: model 'intent', max_batch_size 128 exceeds the model's limit 64",
    );
    expect(refused.stop).toBeNull();
    expect(refused.stepIndexes).toEqual([]);
    expect(refused.logTail.join('\n')).toContain('-> 400: {"error":');
    expect(stdout).toContain('server instances=2 maxBatchSize=128 failed: Triton refused to load intent (400)');
    expect(triton.loads).toContainEqual({ backend: 'python', max_batch_size: 128, instance_group: [{ kind: 'KIND_GPU', count: 2 }] });
    expect(report.partial).toBe(false);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
  }, 180_000);
});
