/**
 * End to end over HTTP: the built binary serves the built-in models (`pipebench serve --port 0`)
 * and another built binary benchmarks it (`pipebench run --target ...`), as a user would.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { runCli, startServe, type ServeProcess } from './cli-process.js';

let serve: ServeProcess | undefined;
let baseUrl: string;

beforeAll(async () => {
  serve = await startServe(['--backend', 'wasm']);
  baseUrl = serve.url;
}, 70_000);

afterAll(async () => {
  await serve?.stop();
});

async function reportOf(outDir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
}

describe('pipebench run --target against pipebench serve', () => {
  it('classify over betterprompts at two concurrency levels: no errors, server time recorded, exit 0', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-cli-'));
    const result = await runCli([
      'run',
      '--target',
      baseUrl,
      '--stage',
      'classify',
      '--concurrency',
      '1,4',
      '--requests',
      '30',
      '--warmup',
      '4',
      '--out',
      outDir,
      '--no-gpu',
      '--quiet',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = await reportOf(outDir);
    expect(report.target).toEqual({
      kind: 'http',
      description: `HTTP betterprompts ${baseUrl}`,
      url: baseUrl,
      protocol: 'betterprompts',
      health: { route: '/api/v1/health', passedOver: [] },
    });
    expect(report.workload.name).toBe('http');
    expect(report.steps.map((s) => [s.stage, s.concurrency])).toEqual([
      ['classify', 1],
      ['classify', 4],
    ]);
    for (const step of report.steps) {
      expect(step.completed).toBeGreaterThanOrEqual(30); // more when the step measured on to settle
      expect(step.errors.byClass).toEqual({});
      expect(step.latencyMs.server?.count).toBe(step.completed);
      expect(step.latencyMs.overhead).toBeDefined();
    }
  }, 60_000);

  it('open loop at a rate with Poisson arrivals through /classify/batch (4 texts per request)', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-open-'));
    const result = await runCli([
      'run',
      '--target',
      baseUrl,
      '--stage',
      'classify',
      '--batch-sizes',
      '4',
      '--rate',
      '20',
      '--arrivals',
      'poisson',
      '--duration',
      '1s',
      '--warmup',
      '0',
      '--out',
      outDir,
      '--no-gpu',
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    const step = (await reportOf(outDir)).steps[0]!;
    expect(step.openLoop).toMatchObject({ process: 'poisson', targetRatePerSec: 20 });
    expect(step.openLoop!.sends).toBeGreaterThan(5);
    expect(step.completed).toBe(step.openLoop!.sends * 4);
    expect(step.meanBatchSize).toBe(4);
    expect(step.errors.total).toBe(0);
  }, 60_000);

  it('openai with streaming: generate steps carry TTFT, inter-token latency and output tokens from the stream', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-openai-'));
    const result = await runCli([
      'run',
      '--target',
      baseUrl,
      '--protocol',
      'openai',
      '--stage',
      'generate',
      '--concurrency',
      '2',
      '--requests',
      '12',
      '--warmup',
      '2',
      '--max-new-tokens',
      '8',
      '--out',
      outDir,
      '--no-gpu',
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    const step = (await reportOf(outDir)).steps[0]!;
    expect(step.errors.byClass).toEqual({});
    // At least the requested items (a step may measure on until its windows settle).
    expect(step.completed).toBeGreaterThanOrEqual(12);
    expect(step.latencyMs.ttft?.count).toBe(step.completed);
    expect(step.latencyMs.itl?.count).toBe(step.completed);
    // The first token arrives before the last: a real stream, not one answer replayed.
    expect(step.latencyMs.ttft!.p50).toBeLessThan(step.latencyMs.inference!.p50);
    expect(step.throughput.outputTokensPerSec).toBeGreaterThan(0);
  }, 60_000);

  it('kserve-v2: classify batches of 8 texts per request as one tensor, with the server time it reports', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-kserve-'));
    const result = await runCli([
      'run',
      '--target',
      baseUrl,
      '--protocol',
      'kserve-v2',
      '--stages',
      'classify',
      '--batch-sizes',
      '1,8',
      '--concurrency',
      '1',
      '--requests',
      '16',
      '--warmup',
      '1',
      '--out',
      outDir,
      '--no-gpu',
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    const report = await reportOf(outDir);
    expect(report.steps.map((s) => [s.batchSize, s.meanBatchSize, s.errors.total])).toEqual([
      [1, 1, 0],
      [8, 8, 0],
    ]);
    const batched = report.steps[1]!;
    expect(batched.completed).toBeGreaterThanOrEqual(16);
    expect(batched.completed % 8).toBe(0); // whole requests of 8 texts
    expect(batched.latencyMs.server?.count).toBe(batched.completed);
  }, 60_000);

  it('a target that is down is one clear line naming it and the health check, exit 3, no stack', async () => {
    const result = await runCli([
      'run',
      '--target',
      'http://127.0.0.1:9',
      '--stage',
      'classify',
      '--requests',
      '5',
      '--out',
      join(tmpdir(), 'pipebench-down'),
      '--no-gpu',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'pipebench: target http://127.0.0.1:9 is not reachable: connection refused (health check GET /api/v1/health)\n',
    );
  }, 30_000);

  it('flag errors name the flag and never echo credentials (exit 2)', async () => {
    const secret = await runCli(['run', '--target', 'http://u:hunter2@127.0.0.1:9', '--no-gpu']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('pipebench: --target: expected a URL without credentials');
    expect(secret.stderr).not.toContain('hunter2');
    const both = await runCli(['run', '--target', baseUrl, '--rate', '5', '--concurrency', '2', '--no-gpu']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--concurrency: expected either --concurrency (closed loop) or --rate (open loop), got both');
    const stages = await runCli(['run', '--target', baseUrl, '--stage', 'classify', '--stages', 'generate', '--no-gpu']);
    expect(stages.stderr).toBe('pipebench: --stage: expected --stage or --stages, got both\n');
    const rate = await runCli(['run', '--target', baseUrl, '--rate', '10,fast', '--no-gpu']);
    expect(rate.stderr).toContain(
      'pipebench: --rate: expected a comma-separated list of requests per second such as "10,20,40", got "10,fast"',
    );
  }, 30_000);
});
