/**
 * --workers against real loopback servers: a step's load split over worker threads, each with its
 * own target, and merged exactly. The server counts what really reached it: requests in flight at
 * once, every body (texts must stay unique across workers), and the total.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workload } from '../../../src/core/workload.js';
import { decodeHistogram } from '../../../src/metrics/histogram.js';
import type { RunEvent } from '../../../src/runner/events.js';
import { runBenchmark, type RunOptions } from '../../../src/runner/run-benchmark.js';
import { createHttpTarget } from '../../../src/targets/http/target.js';
import { environment, templateWorkload } from '../fake-targets.js';

interface CountingServer {
  readonly url: string;
  readonly bodies: string[];
  /** Requests in flight at the server, as each one arrived (itself included). */
  readonly inFlightAtArrival: number[];
  peak(): number;
  close(): Promise<void>;
}

function startCountingServer(delayMs: number): Promise<CountingServer> {
  const bodies: string[] = [];
  const inFlightAtArrival: number[] = [];
  let inFlight = 0;
  let peak = 0;
  const server: Server = createServer((request, response) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    inFlightAtArrival.push(inFlight);
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(body);
      setTimeout(() => {
        inFlight--;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"label": "x"}');
      }, delayMs);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        bodies,
        inFlightAtArrival,
        peak: () => peak,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function workloadOf(url: string, yaml: string): Workload {
  return templateWorkload('runner-workers', url, 'label', yaml);
}

async function run(
  workload: Workload,
  extra: Partial<RunOptions> = {},
): Promise<{ report: Awaited<ReturnType<typeof runBenchmark>>['report']; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const { report } = await runBenchmark({
    workload,
    outDir: await mkdtemp(join(tmpdir(), 'pipebench-workers-')),
    runId: 'workers',
    environment,
    env: {},
    tickMs: 100,
    onEvent: (event) => events.push(event),
    openTarget: (w) => (w.target.kind === 'http' ? createHttpTarget(w.target, { env: {} }) : Promise.reject(new Error('http only'))),
    ...extra,
  });
  return { report, events };
}

describe('--workers: closed loop', () => {
  it('2 workers keep exactly 8 in flight between them, measure exactly the count asked, and send every text once', async () => {
    server = await startCountingServer(20);
    const workload = workloadOf(
      server.url,
      `load: { workers: 2 }
warmup: { requests: 16 }
measure: { requests: 400, maxDuration: 60s }
stability: false
stages: [{ stage: classify, batchSizes: [1], concurrency: [8] }]`,
    );
    const { report, events } = await run(workload);
    const step = report.steps[0]!;
    expect(step).toMatchObject({ complete: true, endedBy: 'requests', measured: 400, completed: 400 });
    expect(server.bodies.length).toBe(416);
    expect(new Set(server.bodies).size).toBe(416);
    // The server saw 8 at once, never more: 4 per worker, summed.
    expect(server.peak()).toBe(8);
    expect(Math.max(...server.inFlightAtArrival)).toBe(8);
    // Merged exactly: the step's e2e histogram holds every measured item; windows carry theirs.
    expect(decodeHistogram(step.histograms.e2e!).totalCount).toBe(400);
    const windowed = step.windows.filter((w) => w.completed > 0);
    expect(windowed.every((w) => typeof w.e2eHistogram === 'string')).toBe(true);
    expect(step.windows.reduce((sum, w) => sum + w.completed, 0)).toBe(400);
    expect(step.windows[0]!.startMs).toBe(step.startedAtMs);
    // Live: ticks carry the merged counts, and the window events add up to the step.
    const ticks = events.filter((e): e is Extract<RunEvent, { kind: 'tick' }> => e.kind === 'tick');
    expect(ticks.length).toBeGreaterThan(0);
    const windowEvents = events.filter((e): e is Extract<RunEvent, { kind: 'window' }> => e.kind === 'window');
    expect(windowEvents.reduce((sum, e) => sum + e.window.completed, 0)).toBe(400);
    // Nothing went wrong; only the held-load warning may come, from how busy this machine is.
    expect(report.warnings.filter((w) => !/: held [\d.]+ in flight/.test(w))).toEqual([]);
  }, 60_000);

  it('1 worker runs on the main thread as before: windows without histograms', async () => {
    server = await startCountingServer(1);
    const workload = workloadOf(
      server.url,
      `load: { workers: 1 }
warmup: { requests: 4 }
measure: { requests: 100, maxDuration: 60s }
stability: false
stages: [{ stage: classify, batchSizes: [1], concurrency: [4] }]`,
    );
    const { report } = await run(workload);
    const step = report.steps[0]!;
    expect(step.measured).toBe(100);
    expect(step.windows.some((w) => w.e2eHistogram !== undefined)).toBe(false);
  }, 60_000);

  it('stability is judged on the merged windows: a duration step is extended until they settle or the allowance is spent', async () => {
    server = await startCountingServer(5);
    const workload = workloadOf(
      server.url,
      `load: { workers: 2 }
warmup: { requests: 8 }
measure: { duration: 1s, maxDuration: 60s }
stability: { windows: 2, tolerance: 100%, maxExtend: 3s }
stages: [{ stage: classify, batchSizes: [1], concurrency: [4] }]`,
    );
    const { report } = await run(workload);
    const step = report.steps[0]!;
    expect(step.complete).toBe(true);
    expect(step.stability).not.toBeNull();
    expect(step.measured).toBe(server.bodies.length - 8);
  }, 60_000);
});

describe('--workers: open loop', () => {
  it('3 workers send exactly the planned count between them, late sends summed, at the planned rate', async () => {
    server = await startCountingServer(2);
    const workload = workloadOf(
      server.url,
      `load: { arrivals: constant, rates: [300], workers: 3 }
warmup: { requests: 20 }
measure: { requests: 300, maxDuration: 60s }
stability: false
stages: [{ stage: classify, batchSizes: [1] }]`,
    );
    const { report } = await run(workload);
    const step = report.steps[0]!;
    expect(step.openLoop).toMatchObject({ targetRatePerSec: 300, sends: 300 });
    expect(step.measured).toBe(300);
    expect(server.bodies.length).toBe(320);
    expect(new Set(server.bodies).size).toBe(320);
    expect(step.openLoop!.lateSends).toBeLessThanOrEqual(300);
    // 300 sends planned 1/300 s apart span ~1 s: the merged achieved rate is the rate asked, not a worker's third.
    expect(step.openLoop!.achievedRatePerSec).toBeGreaterThan(150);
    expect(step.openLoop!.achievedRatePerSec).toBeLessThan(450);
  }, 60_000);
});

describe('--workers: interrupted', () => {
  it('an abort mid-step reaches every worker: what they measured is merged and written, the step marked incomplete', async () => {
    server = await startCountingServer(10);
    const workload = workloadOf(
      server.url,
      `load: { workers: 2 }
warmup: { requests: 4 }
measure: { duration: 30s, maxDuration: 60s }
stability: false
stages: [{ stage: classify, batchSizes: [1], concurrency: [4] }]`,
    );
    const abort = new AbortController();
    const startedAt = Date.now();
    const pending = run(workload, {
      signal: abort.signal,
      onEvent: (event) => {
        if (event.kind === 'tick' && event.completed > 50) abort.abort('SIGINT');
      },
    });
    const { report } = await pending;
    expect(Date.now() - startedAt).toBeLessThan(25_000);
    expect(report.partial).toBe(true);
    const step = report.steps[0]!;
    expect(step.complete).toBe(false);
    expect(step.endedBy).toBe('aborted');
    expect(step.measured).toBeGreaterThan(50);
    expect(step.measured).toBeLessThanOrEqual(server.bodies.length);
  }, 60_000);
});
