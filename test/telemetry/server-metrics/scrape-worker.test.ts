/**
 * The run's scraping happens in a worker thread: parsing pages costs the calling thread's event
 * loop next to nothing, a crashed worker costs one warning (not the run), and a session nobody
 * finished never keeps the process alive. Real node:http servers on 127.0.0.1, the real worker
 * from dist/, a real child process for the exit check.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { scrapeWorkerEntryPath, startServerMetrics } from '../../../src/telemetry/server-metrics/session.js';
import { parseThreadStatCpuMs } from '../../../src/telemetry/thread-cpu.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handle: (res: ServerResponse, hit: number) => void): Promise<string> {
  let hits = 0;
  const server = createServer((_req, res) => handle(res, ++hits));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

/** A page of `series` labelled counters, each a new series on every hit: every scrape parses every line in full. */
function bigPage(series: number, hit: number): string {
  const lines = ['# TYPE load_total counter'];
  for (let i = 0; i < series; i++) lines.push(`load_total{scrape="${hit}",series="${i}",route="/v2/models/m/infer"} ${i * hit}`);
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('server metrics in a worker thread', () => {
  it('parses off the calling thread: its event loop is busy for far less than the parsing took', async () => {
    const url = await serve((res, hit) => res.writeHead(200, { 'content-type': 'text/plain' }).end(bigPage(20_000, hit)));
    const elu = performance.eventLoopUtilization();
    const session = (await startServerMetrics({ urls: [url], intervalMs: 50, warn: (m) => expect.fail(m) }))!;
    await sleep(1500);
    const toMs = performance.timeOrigin + performance.now();
    const step = await session.stepReport(toMs - 1000, toMs, { requests: 0, items: 0, inferenceMsMean: null }, 'step 0');
    const cost = await session.finish();
    const mainActiveMs = performance.eventLoopUtilization(elu).active;
    expect(step.metrics?.endpoints).toHaveLength(1);
    // Every page is all-new series: parsing costs real time (tens of ms a page, more on a loaded machine).
    expect(cost.scrapes).toBeGreaterThanOrEqual(3);
    // On this thread, the parse would count in full as event-loop activity; in the worker, only messages do.
    expect(mainActiveMs).toBeLessThan(cost.parseMs / 2);
    expect(cost.cpuMs).toBeGreaterThan(0);
  }, 30_000);

  it('a worker that dies (out of memory on a huge page) costs one warning, not the run', async () => {
    let good = true;
    const url = await serve((res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(good ? '# TYPE up_total counter\nup_total 1\n' : bigPage(100_000, 1)),
    );
    const warnings: string[] = [];
    // A 7 MB page (under the 8 MiB cap) of all-new series, read in time, then parsed into a 16 MB heap.
    const session = (await startServerMetrics({
      urls: [url],
      intervalMs: 50,
      timeoutMs: 10_000,
      warn: (m) => warnings.push(m),
      workerLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    }))!;
    expect(session).not.toBeNull();
    good = false;
    const deadline = Date.now() + 20_000;
    while (warnings.length === 0 && Date.now() < deadline) await sleep(50);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^server metrics: the scraping worker thread crashed: .*; the load went on, and later steps have no server figures$/,
    );
    const nowMs = performance.timeOrigin + performance.now();
    expect(await session.stepReport(nowMs - 500, nowMs, { requests: 0, items: 0, inferenceMsMean: null }, 'step 0')).toEqual({
      metrics: null,
      warnings: [],
    });
    const cost = await session.finish();
    expect(cost.endpoints).toBe(1);
    expect(warnings).toHaveLength(1);
  }, 30_000);

  it('a session never finished does not keep the process alive', async () => {
    const url = await serve((res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('# TYPE up_total counter\nup_total 1\n'));
    const session = join(import.meta.dirname, '..', '..', '..', 'dist', 'telemetry', 'server-metrics', 'session.js');
    // Starts scraping every 20 ms, takes one step, and returns without finish(): only the worker could hold it.
    const script = `
      const { startServerMetrics } = await import(${JSON.stringify(session)});
      const s = await startServerMetrics({ urls: [${JSON.stringify(url)}], intervalMs: 20, warn: (m) => console.error(m) });
      const t = performance.timeOrigin + performance.now();
      const step = await s.stepReport(t - 100, t, { requests: 0, items: 0, inferenceMsMean: null }, 'step 0');
      console.log(JSON.stringify({ urls: s.urls, endpoints: step.metrics?.endpoints.length ?? 0 }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const startedMs = performance.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearTimeout(timer);
    expect(signal).toBeNull(); // not killed by the 20 s guard: it ended by itself
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ urls: [url], endpoints: 1 });
    expect(performance.now() - startedMs).toBeLessThan(20_000);
  }, 30_000);
});

describe('parseThreadStatCpuMs', () => {
  it('reads utime + stime (fields 14, 15) in 10 ms ticks, past a command name with spaces and parentheses', () => {
    const fields = ['S', ...Array.from({ length: 10 }, (_, i) => String(i)), '7', '3', ...Array.from({ length: 30 }, () => '0')];
    expect(parseThreadStatCpuMs(`4242 (node (worker) x) ${fields.join(' ')}`)).toBe(100);
    expect(parseThreadStatCpuMs('4242 (node) S 1 2')).toBeNull();
  });
});

describe('scrapeWorkerEntryPath', () => {
  it('is the built entry under dist/, from src/ (vitest) and from dist/ alike', () => {
    expect(scrapeWorkerEntryPath('file:///repo/src/telemetry/server-metrics/session.ts')).toBe(
      '/repo/dist/telemetry/server-metrics/scrape-worker-main.js',
    );
    expect(scrapeWorkerEntryPath('file:///repo/dist/telemetry/server-metrics/session.js')).toBe(
      '/repo/dist/telemetry/server-metrics/scrape-worker-main.js',
    );
    expect(scrapeWorkerEntryPath('file:///app/dist/cli/bin.js')).toBe('/app/dist/cli/scrape-worker-main.js'); // a bundle: beside bin.js
  });
});
