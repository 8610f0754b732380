/**
 * `pipebench run --server-metrics` against real servers on loopback: test servers with a real
 * dynamic batcher whose /metrics (in Triton's, TorchServe's and vLLM's names) are computed from
 * what they did, and `pipebench serve` with its own /metrics. Each step's server figures are
 * checked against the server's own ledger for the step's window.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import type { ServerEndpointStep } from '../../src/core/report/server-metrics.js';
import { ledgerWindow, startBatchingServer, type BatchingServer, type MetricsDialect } from '../fixtures/server-metrics/batching-server.js';
import { FIXTURES, runCli, startCli, startServe } from './cli-process.js';

let server: BatchingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function reportOf(outDir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
}

/** |got / want - 1| */
const off = (got: number | null | undefined, want: number): number => Math.abs((got ?? NaN) / want - 1);

/** With PIPEBENCH_AGREEMENT_OUT set, each comparison is appended there (the figures quoted in reviews). */
function record(dialect: string, what: string, got: number | null | undefined, want: number): void {
  const out = process.env.PIPEBENCH_AGREEMENT_OUT;
  if (out)
    appendFileSync(out, `${dialect} | ${what} | ${got?.toFixed(3) ?? '-'} | ${want.toFixed(3)} | ${(off(got, want) * 100).toFixed(1)} %\n`);
}

async function runAgainst(
  dialect: MetricsDialect,
  extra: readonly string[] = [],
): Promise<{ report: RunReport; endpoint: ServerEndpointStep; stderr: string; code: number | null }> {
  server = await startBatchingServer({ dialect, maxBatchSize: 8, baseMs: 20, perItemMs: 1 });
  const outDir = await mkdtemp(join(tmpdir(), `pipebench-scrape-${dialect}-`));
  const result = await runCli([
    'run',
    '--target',
    server.url,
    '--protocol',
    'kserve-v2',
    '--stage',
    'classify',
    '--concurrency',
    '16',
    '--duration',
    '3s',
    '--warmup',
    '32',
    '--no-stability',
    '--out',
    outDir,
    '--no-gpu',
    '--quiet',
    '--server-metrics',
    `${server.url}/metrics`,
    ...extra,
  ]);
  const report = await reportOf(outDir);
  const endpoint = report.steps[0]?.serverMetrics?.endpoints[0];
  if (endpoint === undefined) throw new Error(`no server metrics in the report; stderr: ${result.stderr}`);
  return { report, endpoint, stderr: result.stderr, code: result.code };
}

describe('pipebench run --server-metrics against a batching server', () => {
  it("Triton names: batch size ~8 at 16 in flight, queue and compute within 15 % of the server's own accounting", async () => {
    const { report, endpoint, code } = await runAgainst('triton');
    expect(code).toBe(0);
    const step = report.steps[0]!;
    const truth = ledgerWindow(server!, step.startedAtMs, step.endedAtMs);
    expect(endpoint.source).toBe('triton');
    expect(endpoint.url).toBe(`${server!.url}/metrics`);
    expect(endpoint.scrapes).toBeGreaterThanOrEqual(6); // 3 s at 250 ms, on a loaded machine
    for (const [what, got, want] of [
      ['batch size', endpoint.batchSize?.mean, truth.batchSize],
      ['queue ms', endpoint.queueMs?.mean, truth.queueMs],
      ['compute ms', endpoint.computeMs?.mean, truth.computeMs],
      ['requests', endpoint.requests, truth.requests],
    ] as const)
      record('triton', what, got, want);
    expect(truth.batchSize).toBeGreaterThan(6); // the batcher really formed ~8
    expect(off(endpoint.batchSize?.mean, truth.batchSize)).toBeLessThan(0.15);
    expect(off(endpoint.queueMs?.mean, truth.queueMs)).toBeLessThan(0.15);
    expect(off(endpoint.computeMs?.mean, truth.computeMs)).toBeLessThan(0.15);
    expect(off(endpoint.requests, truth.requests)).toBeLessThan(0.15);
    expect(endpoint.shared).toBe(false);
    // A healthy server answers its scrapes; on a machine loaded by other processes one may run past
    // the scrape timeout now and then, so most (not all) must succeed.
    const scraping = report.harnessHealth?.serverScraping;
    expect(scraping).toMatchObject({ endpoints: 1 });
    expect(scraping!.failures).toBeLessThanOrEqual(Math.floor(scraping!.scrapes / 4));
    expect(report.harnessHealth?.serverScraping?.scrapes).toBeGreaterThan(endpoint.scrapes);
  }, 90_000);

  it("the step's bottleneck reads the server's own figures: at 48 in flight against a batcher of 8, requests queue in the server", async () => {
    // 48 in flight over batches of at most 8 (20 ms + 1 ms per item): about five batches wait for
    // each one computing, so the server's queue is most of its time.
    const { report } = await runAgainst('triton', ['--concurrency', '48']);
    const step = report.steps[0]!;
    expect(step.bottleneck?.verdict).toBe('server-queue');
    expect(step.bottleneck?.evidence.join(' ')).toMatch(/in the server requests queued [\d.]+ ms and computed [\d.]+ ms/);
  }, 90_000);

  it('TorchServe names: queue and compute per request within 15 %', async () => {
    const { report, endpoint } = await runAgainst('torchserve');
    const step = report.steps[0]!;
    const truth = ledgerWindow(server!, step.startedAtMs, step.endedAtMs);
    expect(endpoint.source).toBe('torchserve');
    for (const [what, got, want] of [
      ['queue ms', endpoint.queueMs?.mean, truth.queueMs],
      ['compute ms', endpoint.computeMs?.mean, truth.computeMs],
      ['requests', endpoint.requests, truth.requests],
    ] as const)
      record('torchserve', what, got, want);
    expect(off(endpoint.queueMs?.mean, truth.queueMs)).toBeLessThan(0.15);
    expect(off(endpoint.computeMs?.mean, truth.computeMs)).toBeLessThan(0.15);
    expect(off(endpoint.requests, truth.requests)).toBeLessThan(0.15);
  }, 90_000);

  it('vLLM names: queue and compute from the histograms within 15 %, running requests as the batch', async () => {
    const { report, endpoint } = await runAgainst('vllm');
    const step = report.steps[0]!;
    const truth = ledgerWindow(server!, step.startedAtMs, step.endedAtMs);
    expect(endpoint.source).toBe('vllm');
    for (const [what, got, want] of [
      ['queue ms', endpoint.queueMs?.mean, truth.queueMs],
      ['compute ms', endpoint.computeMs?.mean, truth.computeMs],
      ['running (batch)', endpoint.batchSize?.mean, truth.batchSize],
    ] as const)
      record('vllm', what, got, want);
    expect(off(endpoint.queueMs?.mean, truth.queueMs)).toBeLessThan(0.15);
    expect(off(endpoint.computeMs?.mean, truth.computeMs)).toBeLessThan(0.15);
    // Percentiles from the buckets: the compute time sits in one bucket (20-30 ms or 30-40 ms).
    expect(endpoint.computeMs?.p50).toBeGreaterThanOrEqual(20);
    expect(endpoint.computeMs?.p50).toBeLessThanOrEqual(40);
    // The gauge is read at each scrape: a scrape can land between two executions (0 running), so only near 8.
    expect(endpoint.batchSize?.mean).toBeGreaterThan(4);
    expect(endpoint.batchSize?.mean).toBeLessThanOrEqual(8);
    expect(Object.keys(endpoint.raw)).toContain('vllm:num_requests_waiting{engine="0",model_name="m"}');
  }, 90_000);
});

describe('pipebench run against pipebench serve, scraping its own /metrics', () => {
  it("finds /metrics on the target by itself and reports the batcher's batch size, queue and compute", async () => {
    const serve = await startServe(['--backend', 'wasm', '--max-batch-size', '8', '--max-queue-delay', '5ms']);
    try {
      const outDir = await mkdtemp(join(tmpdir(), 'pipebench-scrape-serve-'));
      const result = await runCli([
        'run',
        '--target',
        serve.url,
        '--stage',
        'classify',
        '--concurrency',
        '8',
        '--duration',
        '2s',
        '--warmup',
        '8',
        '--no-stability',
        '--out',
        outDir,
        '--no-gpu',
        '--quiet',
      ]);
      expect(result.code).toBe(0);
      const report = await reportOf(outDir);
      const step = report.steps[0]!;
      const endpoint = step.serverMetrics?.endpoints[0];
      expect(endpoint?.source).toBe('pipebench');
      expect(endpoint?.url).toBe(`${serve.url}/metrics`);
      expect(endpoint?.maxBatchSize).toBe(8);
      // One text per request at 8 in flight: the batcher's calls hold between 1 and 8 items, and the client saw the same mean.
      expect(endpoint?.batchSize?.mean).toBeGreaterThanOrEqual(1);
      expect(endpoint?.batchSize?.mean).toBeLessThanOrEqual(8);
      expect(off(endpoint?.requests, step.completed)).toBeLessThan(0.15);
      expect(endpoint?.computeMs?.mean).toBeGreaterThan(0);
      expect(endpoint?.queueMs?.mean).toBeGreaterThanOrEqual(0);
      // The server's own time per request cannot exceed what the client measured on the wire.
      expect((endpoint?.queueMs?.mean ?? 0) + (endpoint?.computeMs?.mean ?? 0)).toBeLessThan(step.latencyMs.inference!.mean * 1.15);
    } finally {
      await serve.stop();
    }
  }, 120_000);
});

describe('pipebench run with a metrics URL that hangs', () => {
  it("measures the step as usual, warns once, and never shows the URL's credentials", async () => {
    const { createServer } = await import('node:http');
    const hang = createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const port = (hang.address() as { port: number }).port;
    server = await startBatchingServer({ dialect: 'triton', maxBatchSize: 8, baseMs: 20, perItemMs: 1 });
    try {
      const outDir = await mkdtemp(join(tmpdir(), 'pipebench-scrape-hang-'));
      const result = await runCli([
        'run',
        '--target',
        server.url,
        '--protocol',
        'kserve-v2',
        '--stage',
        'classify',
        '--concurrency',
        '16',
        '--duration',
        '2s',
        '--warmup',
        '16',
        '--no-stability',
        '--out',
        outDir,
        '--no-gpu',
        '--server-metrics',
        `http://ops:hunter2-pw@127.0.0.1:${port}/metrics`,
        '--server-metrics-interval',
        '100ms',
      ]);
      expect(result.code).toBe(0);
      const text = await readFile(join(outDir, 'report.json'), 'utf8');
      const report = JSON.parse(text) as RunReport;
      const step = report.steps[0]!;
      expect(step.complete).toBe(true);
      expect(step.errors.total).toBe(0);
      // The load ran as the server allowed: its batches (items per execution over execution time) set the ceiling.
      const execs = server!.executions.filter((x) => x.startMs >= step.startedAtMs && x.startMs <= step.endedAtMs);
      const ledger = ledgerWindow(server!, step.startedAtMs, step.endedAtMs);
      const serverItemsPerSec = (execs.reduce((sum, x) => sum + x.items, 0) / execs.length / ledger.computeMs) * 1000;
      // A scrape that hung the load would leave it far below that ceiling; a loaded machine keeps at least half.
      expect(step.throughput.itemsPerSec).toBeGreaterThan(0.5 * serverItemsPerSec);
      expect(step.serverMetrics).toBeNull();
      const scrapeWarnings = report.warnings.filter((w) => w.includes('server metrics'));
      expect(scrapeWarnings).toEqual([
        expect.stringMatching(new RegExp(`server metrics http://\\*\\*\\*@127\\.0\\.0\\.1:${port}/metrics: no answer within`)),
      ]);
      for (const output of [text, result.stdout, result.stderr, await readFile(join(outDir, 'report.md'), 'utf8')])
        expect(output).not.toContain('hunter2');
      expect(report.harnessHealth?.serverScraping).toMatchObject({ scrapes: 0 });
    } finally {
      hang.closeAllConnections();
      await new Promise((resolve) => hang.close(resolve));
    }
  }, 90_000);
});

describe('server-metrics input errors', () => {
  it.each([
    [
      ['--server-metrics', 'ftp://127.0.0.1/metrics'],
      /^pipebench: --server-metrics: expected an http:\/\/ or https:\/\/ metrics URL, got a ftp: URL$/m,
    ],
    [
      ['--server-metrics', 'http://u:topsecret@[bad/metrics'],
      /^pipebench: --server-metrics: expected an http:\/\/ or https:\/\/ metrics URL .*, got "http:\/\/\*\*\*@\[bad\/metrics"$/m,
    ],
    [
      ['--server-metrics-interval', '1ms'],
      /^pipebench: --server-metrics-interval: expected a scrape interval from 10 ms to 60 s, got 1 ms$/m,
    ],
  ])('%j: one line naming the flag, exit 2', async (flags, message) => {
    const result = await runCli([
      'run',
      '--target',
      'http://127.0.0.1:9',
      '--stage',
      'classify',
      '--requests',
      '1',
      '--no-gpu',
      '--quiet',
      ...flags,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('topsecret');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('--server-metrics URL on an in-process workload: it needs an HTTP target', async () => {
    const result = await runCli([
      'run',
      join(FIXTURES, 'minimal.yaml'),
      '--no-gpu',
      '--quiet',
      '--server-metrics',
      'http://127.0.0.1:9400/metrics',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^pipebench: --server-metrics: expected an HTTP target \(give --target <url> or a workload with target:\), got workload ".*" which runs in process$/m,
    );
  });

  it('a bad target.serverMetrics in a workload names the field', async () => {
    const { mkdtempSync, writeFileSync, cpSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-scrape-yaml-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'workloads', 'prompts.jsonl'), join(dir, 'prompts.jsonl'));
    const path = join(dir, 'w.yaml');
    writeFileSync(
      path,
      [
        'corpus: { path: prompts.jsonl }',
        'stages: [{ stage: classify }]',
        'target:',
        '  url: http://127.0.0.1:9',
        '  serverMetrics: { urls: [http://127.0.0.1:8002/metrics], interval: 5ms }',
      ].join('\n'),
    );
    const result = await runCli(['run', path, '--no-gpu', '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/target\.serverMetrics.*interval.*expected a scrape interval from 10 ms to 60 s/);
  });
});

describe('pipebench run with server metrics, interrupted', () => {
  it('Ctrl-C mid-step: the run ends promptly (the scraping worker holds nothing up), partial, with the scraping cost', async () => {
    server = await startBatchingServer({ dialect: 'triton', maxBatchSize: 8, baseMs: 20, perItemMs: 1 });
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-scrape-sigint-'));
    const durationMs = 60_000;
    const { child, done } = startCli([
      'run',
      '--target',
      server.url,
      '--protocol',
      'kserve-v2',
      '--stage',
      'classify',
      '--concurrency',
      '16',
      '--duration',
      `${durationMs / 1000}s`,
      '--warmup',
      '16',
      '--no-stability',
      '--out',
      outDir,
      '--no-gpu',
      '--quiet',
      '--server-metrics',
      `${server.url}/metrics`,
      '--server-metrics-interval',
      '100ms',
    ]);
    // Measuring for a while: the ledger holds well over the warm-up's requests.
    const deadline = Date.now() + 30_000;
    while (server.ledger.length < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.ledger.length).toBeGreaterThanOrEqual(200);
    const signalledMs = performance.now();
    child.kill('SIGINT');
    const result = await done;
    const afterSignalMs = performance.now() - signalledMs;
    expect(result.code).toBe(130);
    // Far sooner than the step would have ended by itself: nothing waited for the scraper.
    expect(afterSignalMs).toBeLessThan(durationMs / 3);
    const report = await reportOf(outDir);
    expect(report.partial).toBe(true);
    expect(report.harnessHealth?.serverScraping?.scrapes).toBeGreaterThan(0);
    expect(report.warnings.filter((w) => w.includes('scraping worker'))).toEqual([]);
  }, 90_000);
});
