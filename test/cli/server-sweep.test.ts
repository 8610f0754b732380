/**
 * Server sweeps end to end (issue 15): the built CLI launches real servers on 127.0.0.1 — the
 * known-batcher fixture (a real dynamic batcher whose batch takes T(b) = a + c*b ms) and its faults —
 * and every test checks that no launched process is left behind.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { runCli, startCli } from './cli-process.js';
import { taggedPids } from '../fixtures/servers/tagged.js';
import { sweepWorkload } from './server-sweep-workload.js';

const REPO = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(await readFile(join(REPO, 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipebench-server-sweep-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readReport(out: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
}

describe('pipebench run with server:', () => {
  /*
   * By hand, 32 requests in flight, T(b) = 100 + 2 b ms, one instance, budget p95 2 s:
   * - max batch m <= 16: every batch is full (the others wait): m / T(m) items/s: 1 -> 9.8, 2 -> 19, 4 -> 37, 8 -> 69, 16 -> 121.
   * - queue delay 0, m >= 32: the first arrivals after a batch go out alone, the rest next: 32 / (T(k) + T(32 - k)) = 32 / 264 ms -> 121.
   * - queue delay 100 ms, m = 32: the 32 arrive within far less than 100 ms: 32 / (T(32) + spread) = 32 / (164 ms + a few) -> ~190.
   * - queue delay 100 ms, m >= 64: never fills, waits 100 ms each time: 32 / 264 ms -> 121.
   * - m = 1: 32 x 102 ms = 3.3 s in queue: over budget.
   * So the best within budget is max batch 32 at queue delay 100 ms, over 35 % above every other
   * configuration of the grid unless the client took more than 100 ms to send 32 requests.
   */
  it('searches the known server: finds the hand-computed best configuration in fewer runs than the grid', async () => {
    const tag = `known-${process.pid}`;
    const out = join(dir, 'known');
    const workload = join(dir, 'known.yaml');
    await writeFile(
      workload,
      sweepWorkload({
        tag,
        params: '{ maxQueueDelayMs: [0, 100], maxBatchSize: [1, 2, 4, 8, 16, 32, 64, 128, 256] }',
        concurrency: 32,
        extra: '--a-ms 100 --c-ms 2',
        measure: '{ duration: 2s, maxDuration: 20s }',
        budget: '{ p95: 2s, p99: 4s, maxErrorRate: 1% }',
      }),
    );
    const result = await runCli(['run', workload, '--out', out, '--quiet']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = await readReport(out);
    const sweep = report.serverSweep!;
    expect(sweep.strategy).toBe('search');
    expect(sweep.gridConfigurations).toBe(18);
    expect(sweep.runsSpent).toBeLessThan(sweep.gridConfigurations);
    expect(sweep.chosen?.params).toEqual({ maxQueueDelayMs: 100, maxBatchSize: 32 });
    expect(sweep.chosen?.serverTermsKind).toBe('command');
    expect(sweep.chosen?.serverTerms).toContain('--port {port} --max-batch 32 --max-queue-delay-ms 100');
    expect(result.stdout).toContain('server: maxQueueDelayMs=100 maxBatchSize=32: ');
    expect(result.stdout).toMatch(/server runs: \d+ of 18 configurations \(search along maxBatchSize\)/);
    expect(result.code).toBe(0);
    // Every step says which configuration it measured, and its server's log is next to the report.
    for (const step of report.steps) {
      expect(step.serverConfig).toBeDefined();
      expect(existsSync(join(out, step.serverLog!))).toBe(true);
    }
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    const markdown = await readFile(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('## Server configurations');
    expect(markdown).toContain('### Pareto set (p95 against items/s)');
    expect(taggedPids(tag)).toEqual([]);
  }, 240_000);

  it('each faulty server costs its configuration only: exits at once, never healthy, crashes mid-step, ignores SIGTERM', async () => {
    const tag = `faults-${process.pid}`;
    const out = join(dir, 'faults');
    const workload = join(dir, 'faults.yaml');
    await writeFile(
      workload,
      sweepWorkload({
        tag,
        params: '{ maxBatchSize: [1, 2, 3, 4, 5, 6] }',
        concurrency: 4,
        search: false,
        extra: '--faults 2=exit,3=never-healthy,5=ignore-sigterm,6=crash',
        readyTimeout: '2s',
      }),
    );
    const result = await runCli(['run', workload, '--out', out, '--quiet']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = await readReport(out);
    const configs = report.serverSweep!.configurations;
    expect(configs.map((c) => [c.params.maxBatchSize, c.state])).toEqual([
      [1, 'measured'],
      [2, 'failed'],
      [3, 'failed'],
      [4, 'measured'],
      [5, 'failed'],
      [6, 'failed'],
    ]);
    const byBatch = (b: number) => configs.find((c) => c.params.maxBatchSize === b)!;
    expect(byBatch(2).failure).toMatch(/^server exited \(exit code 3\) before/);
    expect(byBatch(2).logTail).toContain('known-batcher: fault exit: refusing to start with max batch 2');
    expect(byBatch(3).failure).toMatch(/did not answer 2xx within 2000 ms \(last: HTTP 503\)/);
    expect(byBatch(3).logTail).toContain('known-batcher: fault never-healthy: /health answers 503');
    expect(byBatch(5).failure).toBe('server ignored SIGTERM: its process group was killed after the 500 ms grace');
    expect(byBatch(5).stop).toBe('killed');
    expect(byBatch(6).failure).toMatch(/^server exited \(exit code 70\) while its steps ran/);
    expect(byBatch(6).logTail.join('\n')).toContain('known-batcher: fault crash after');
    // The sweep went on: the healthy configurations after the faults were measured, and one was chosen.
    expect(byBatch(4).stepIndexes.length).toBe(1);
    expect(report.serverSweep!.chosen).not.toBeNull();
    expect(report.partial).toBe(false);
    expect(result.stdout).toContain('server maxBatchSize=2 failed: server exited (exit code 3)');
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(taggedPids(tag)).toEqual([]);
  }, 240_000);

  it("sweeps pipebench serve's own batcher settings with workloads/tune-serve.yaml (the README example)", async () => {
    const out = join(dir, 'serve');
    const result = await runCli([
      'run',
      join(REPO, 'workloads', 'tune-serve.yaml'),
      '--out',
      out,
      '--duration',
      '1s',
      '--warmup',
      '8',
      '--quiet',
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = await readReport(out);
    const sweep = report.serverSweep!;
    expect(sweep.gridConfigurations).toBe(6);
    expect(sweep.runsSpent).toBeGreaterThanOrEqual(4); // both queue delays, at least two max batch sizes each
    expect(sweep.configurations.every((config) => config.state === 'measured')).toBe(true);
    for (const config of sweep.configurations) {
      const log = await readFile(join(out, config.logPath), 'utf8');
      expect(log).toContain('pipebench serve listening on http://127.0.0.1:');
      expect(config.command).toContain(
        `--max-batch-size ${config.params.maxBatchSize} --max-queue-delay ${config.params.maxQueueDelayMs}ms`,
      );
    }
    expect(report.steps.every((step) => step.complete && step.errors.total === 0)).toBe(true);
    expect(sweep.chosen?.serverTerms).toMatch(
      /^node dist\/cli\/bin\.js serve --port \{port\} --backend wasm --max-batch-size \d+ --max-queue-delay \d+ms$/,
    );
    expect(validate(report) ? [] : validate.errors).toEqual([]);
  }, 240_000);

  it('Ctrl-C during a configuration stops its server: nothing is left, the report is partial', async () => {
    const tag = `sigint-${process.pid}`;
    const out = join(dir, 'sigint');
    const workload = join(dir, 'sigint.yaml');
    await writeFile(
      workload,
      sweepWorkload({ tag, params: '{ maxBatchSize: [4, 8] }', concurrency: 4, measure: '{ duration: 30s, maxDuration: 60s }' }),
    );
    const run = startCli(['run', workload, '--out', out]);
    await new Promise<void>((resolve) => {
      let seen = '';
      const look = (chunk: Buffer): void => {
        seen += chunk.toString();
        if (seen.includes('server maxBatchSize=4:') && taggedPids(tag).length > 0) resolve();
      };
      run.child.stdout!.on('data', look);
      run.child.stderr!.on('data', look);
    });
    // The server is up and the step under way: interrupt.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(taggedPids(tag)).toEqual([]);
    const report = await readReport(out);
    expect(report.partial).toBe(true);
    expect(report.interruptedBy).toBe('SIGINT');
  }, 120_000);
});
