/**
 * The dashboards against a real Prometheus (Debian's package, started here on 127.0.0.1 with a
 * temp config and storage, scraping every second, killed at the end) scraping a live pipebench
 * run (the built CLI with --prometheus-port against a loopback server that fails 1 request in 10,
 * the stand-in nvidia-smi on PATH): every expression of a non-optional panel returns data, and
 * every metric such an expression reads is one Prometheus got from the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { dashboardQueries, metricNames, withGrafanaVariables } from './dashboards.js';
import { startLiveRun, type LiveRun } from './live-run.js';
import { requireTool } from './tools.js';

interface QueryAnswer {
  readonly status: string;
  readonly error?: string;
  readonly data: { readonly resultType: string; readonly result: readonly { metric: Record<string, string>; value: [number, string] }[] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let run: LiveRun | undefined;
let prometheus: ChildProcess | undefined;
let dir: string | undefined;
afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => prometheus!.kill('SIGKILL'))]);
  }
  await run?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startPrometheus(target: string): Promise<string> {
  const binary = requireTool('prometheus');
  dir = await mkdtemp(join(tmpdir(), 'pipebench-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: pipebench',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  let output = '';
  prometheus = spawn(
    binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  prometheus.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = performance.now() + 30_000; performance.now() < deadline; await sleep(200)) {
    if (prometheus.exitCode !== null) throw new Error(`prometheus exited ${prometheus.exitCode}: ${output}`);
    const ready = await request(`${base}/-/ready`).catch(() => null);
    if (ready) await ready.body.dump();
    if (ready?.statusCode === 200) return base;
  }
  throw new Error(`prometheus not ready within 30 s: ${output}`);
}

async function query(base: string, expr: string): Promise<QueryAnswer> {
  const response = await request(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await response.body.json()) as QueryAnswer;
}

/** Finite values only: a NaN (0/0 over an idle range) is no data on a panel. */
const finiteValues = (answer: QueryAnswer): number[] =>
  answer.data.result.map((series) => Number(series.value[1])).filter((value) => Number.isFinite(value));

describe('the Grafana dashboards on a real Prometheus scraping a live run', () => {
  it('every expression of every non-optional panel returns data; every metric it reads came from the run', async () => {
    run = await startLiveRun(60);
    const base = await startPrometheus(new URL(run.metricsUrl).host);
    // Enough scrapes for the rates ($__rate_interval = 4 s) with errors and GPU readings in them.
    const ready = ['count_over_time(pipebench_items_total[10s]) >= 6', 'pipebench_errors_by_class_total', 'pipebench_gpu_power_watts'];
    for (const deadline = performance.now() + 60_000; ; await sleep(500)) {
      const answers = await Promise.all(ready.map((expr) => query(base, expr)));
      if (answers.every((answer) => answer.data.result.length > 0)) break;
      if (performance.now() > deadline) throw new Error(`Prometheus never had ${ready.join(', ')} within 60 s`);
    }

    const scraped = (await (await request(`${base}/api/v1/label/__name__/values`)).body.json()) as { data: string[] };
    const queries = dashboardQueries().filter((q) => !q.optional);
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const empty: string[] = [];
    for (const q of queries) {
      const expr = withGrafanaVariables(q.expr);
      expect(
        metricNames(expr).filter((name) => !scraped.data.includes(name)),
        `${q.panel}: ${expr}`,
      ).toEqual([]);
      const answer = await query(base, expr);
      expect(answer.status, `${q.panel}: ${expr}: ${answer.error ?? ''}`).toBe('success');
      if (finiteValues(answer).length === 0) empty.push(`${q.panel}: ${expr}`);
    }
    expect(empty).toEqual([]);
    // Errors by class shows the class the server's 500s fall in; the run sees the GPU trace's power.
    const byClass = await query(base, withGrafanaVariables(queries.find((q) => q.panel === 'Errors by class')!.expr));
    expect(byClass.data.result.map((series) => series.metric['class'])).toEqual(['http_5xx']);
    expect(finiteValues(await query(base, 'pipebench_gpu_power_watts'))[0]).toBeGreaterThan(0);
  }, 180_000);
});
