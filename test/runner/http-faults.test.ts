/**
 * Issue 4's fault list at run level: real node:http servers on 127.0.0.1 that misbehave, driven by
 * runBenchmark through the HTTP target. Each fault: the run completes, the class is counted, and
 * nothing measured before it is lost.
 */
import { environment } from './fake-targets.js';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { epochNowMs } from '../../src/core/clock.js';
import { runOpenLoop } from '../../src/load/open-loop.js';
import { constantArrivals } from '../../src/load/arrivals.js';
import type { RunReport } from '../../src/core/report/run.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { createHttpTarget, type HttpTarget } from '../../src/targets/http/target.js';
import type { ItemResult } from '../../src/core/item-result.js';
import { parseWorkload } from '../../src/workload/load.js';
import type { HttpTargetSpec, Workload } from '../../src/core/workload.js';
import { startFaultServer, type Behaviour, type FaultServer } from '../fixtures/http/fault-server.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');
const OK: Behaviour = { kind: 'json', body: '{"out": "ok"}' };

function workloadOf(yaml: string): Workload {
  return parseWorkload(`corpus: { path: prompts.jsonl }\n${yaml}`, join(FIXTURES, 'http-faults.yaml'), FIXTURES);
}

function httpSpec(workload: Workload): HttpTargetSpec {
  if (workload.target.kind !== 'http') throw new Error('expected an HTTP workload');
  return workload.target;
}

async function run(workload: Workload): ReturnType<typeof runBenchmark> {
  return runBenchmark({
    workload,
    outDir: await mkdtemp(join(tmpdir(), 'pipebench-http-faults-')),
    runId: workload.name,
    environment,
    openTarget: (w) => createHttpTarget(httpSpec(w), { env: {} }),
  });
}

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a run against a misbehaving server', () => {
  it('counts every fault in its own class and keeps the good answers around them', async () => {
    // One request in flight, so request i meets behaviour i exactly.
    server = await startFaultServer([
      OK,
      { kind: 'status', status: 500 },
      OK,
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 404 },
      // A reset on the reused connection is the keep-alive race: sent again once on a fresh
      // connection, which resets too, so the item fails.
      { kind: 'reset' },
      { kind: 'reset' },
      OK,
      { kind: 'malformed' },
      { kind: 'json', body: '{"other": 1}' }, // valid JSON, wrong shape
      { kind: 'truncated' },
      { kind: 'huge', bytes: 64 * 1024 },
      { kind: 'slow-headers', ms: 2500, body: '{"out": "late"}' },
      OK,
    ]);
    const { report } = await run(
      workloadOf(`name: fault-matrix
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
  maxResponseBytes: 16384
  timeouts: { headers: 150ms, body: 150ms }
warmup: { requests: 0 }
measure: { requests: 16, maxDuration: 20s }
stability: false  # exact counts: stop at the planned length
stages: [{ stage: classify, concurrency: [1] }]`),
    );
    const step = report.steps[0]!;
    expect(step.errors.byClass).toEqual({
      http_5xx: 2,
      http_429: 1,
      http_4xx: 1,
      connection_reset: 2, // the reset socket and the chunked body cut short
      malformed_body: 1,
      protocol_mismatch: 1,
      body_too_large: 1,
      timeout: 1,
    });
    expect(step.errors.total).toBe(10);
    expect(step.completed).toBe(6);
    expect(step.retries).toBe(1);
    expect(step.latencyMs.e2e?.count).toBe(6);
    expect(report.partial).toBe(false);
  }, 30_000);

  it('a server killed mid-run: the steps measured before stay whole, the rest fail as refused or reset', async () => {
    let served = 0;
    let killed: Promise<void> | undefined;
    server = await startFaultServer((_request, res) => {
      served += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"out": "ok"}');
      // The first step (warm-up 2 + 10 measured) is answered; three requests into the second, the server dies.
      if (served === 15) killed = server?.close();
    });
    const { report } = await run(
      workloadOf(`name: killed
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
warmup: { requests: 2 }
measure: { requests: 10, maxDuration: 20s }
stability: false  # exact counts: stop at the planned length
stages: [{ stage: classify, concurrency: [1, 2] }]`),
    );
    await killed;
    server = undefined;
    const [first, second] = report.steps;
    expect(first).toMatchObject({ concurrency: 1, completed: 10, errors: { total: 0 }, complete: true });
    expect(second!.concurrency).toBe(2);
    expect(second!.errors.total).toBeGreaterThan(0);
    expect(Object.keys(second!.errors.byClass).every((c) => c === 'connection_refused' || c === 'connection_reset')).toBe(true);
    expect(second!.completed + second!.errors.total).toBe(10);
  }, 30_000);
});

describe('an output that cannot be written', () => {
  it('does not stop the run: every step is measured and report.json carries the warning', async () => {
    server = await startFaultServer(OK);
    const workload = workloadOf(`name: blocked-html
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
warmup: { requests: 0 }
measure: { requests: 5 }
stability: false
stages: [{ stage: classify, concurrency: [1, 2] }]`);
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-blocked-'));
    await mkdir(join(outDir, 'report.html')); // a folder where the file goes
    const { report, files } = await runBenchmark({
      workload,
      outDir,
      runId: 'blocked',
      environment,
      openTarget: (w) => createHttpTarget(httpSpec(w), { env: {} }),
    });
    expect(report.steps.map((s) => s.completed)).toEqual([5, 5]);
    expect(report.partial).toBe(false);
    expect(files).not.toContain(join(outDir, 'report.html'));
    const saved = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
    expect(saved.warnings.filter((w) => w.startsWith('report.html was not written: '))).toHaveLength(1);
  }, 30_000);
});

describe('open loop against a server that stalls for 1 s once', () => {
  it('the stall shows in the latency of every request that was due during it, not only the one in flight', async () => {
    const RATE = 50;
    const STALL_MS = 1000;
    let stallEndMs: number | null = null; // performance.now() of the server, same clock as epochNowMs
    const held: (() => void)[] = [];
    let arrived = 0;
    server = await startFaultServer((request, res) => {
      arrived += 1;
      const answer = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"out": "ok"}');
      if (arrived === 20) {
        stallEndMs = request.arrivedAtMs + STALL_MS;
        setTimeout(() => held.splice(0).forEach((release) => release()), STALL_MS);
      }
      if (stallEndMs !== null && request.arrivedAtMs < stallEndMs) held.push(answer);
      else answer();
    });
    const workload = workloadOf(`name: stall
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
  connections: 128
stages: [{ stage: classify }]`);
    const target: HttpTarget = await createHttpTarget(httpSpec(workload), { env: {} });
    const results: ItemResult[] = [];
    try {
      await target.configure('classify', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 1 });
      await runOpenLoop({
        target,
        stage: 'classify',
        schedule: constantArrivals(RATE),
        ratePerSec: RATE,
        maxInFlight: null,
        texts: { next: () => 'a prompt' },
        warmup: {},
        measure: { durationMs: 2000, maxDurationMs: 10_000 },
        sink: { record: (result) => results.push(result) },
        clock: epochNowMs,
      });
    } finally {
      await target.close();
    }
    expect(stallEndMs).not.toBeNull();
    const stallEndEpochMs = performance.timeOrigin + stallEndMs!;
    const stallStartEpochMs = stallEndEpochMs - STALL_MS;
    const dueDuringStall = results.filter((r) => r.tArrivalMs >= stallStartEpochMs && r.tArrivalMs < stallEndEpochMs - 50);
    // ~50 requests were due in that second; each waited until the stall ended, whatever its send time.
    expect(dueDuringStall.length).toBeGreaterThan(35);
    for (const r of dueDuringStall) {
      expect(r.ok).toBe(true);
      expect(r.tResponseMs - r.tArrivalMs).toBeGreaterThanOrEqual(stallEndEpochMs - r.tArrivalMs - 5);
    }
    const slow = results.filter((r) => r.tResponseMs - r.tArrivalMs > 500);
    expect(slow.length).toBeGreaterThan(20); // a closed loop of 1 would show exactly one
  }, 30_000);
});
