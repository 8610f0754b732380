import { environment } from './fake-targets.js';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import type { RunEvent } from '../../src/runner/events.js';
import { createHttpTarget, type HttpTarget } from '../../src/targets/http/target.js';
import { createInProcessTarget } from '../../src/targets/inprocess/create-target.js';
import { parseWorkload } from '../../src/workload/load.js';
import type { Workload } from '../../src/core/workload.js';
import { startFaultServer, type FaultServer } from '../fixtures/http/fault-server.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

function workloadOf(yaml: string): Workload {
  return parseWorkload(`corpus: { path: prompts.jsonl }\n${yaml}`, join(FIXTURES, 'runner-http.yaml'), FIXTURES);
}

function openHttp(workload: Workload): Promise<HttpTarget> {
  if (workload.target.kind !== 'http') return Promise.reject(new Error('expected an HTTP workload'));
  return createHttpTarget(workload.target, { env: {} });
}

async function readReport(outDir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
}

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('runBenchmark, open loop in process', () => {
  it('runs a Poisson step on the wasm classifier and reports target vs achieved rate', async () => {
    const workload = workloadOf(`name: open-inprocess
engine: { backend: wasm }
load: { arrivals: poisson, rates: [40] }
warmup: { requests: 4 }
measure: { duration: 1s, maxDuration: 10s }
stability: false  # exact counts: stop at the planned length
stages: [{ stage: classify, batchSizes: [4] }]`);
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-open-'));
    const cacheDir = join(tmpdir(), 'pipebench-test-cache');
    const { report } = await runBenchmark({
      workload,
      outDir,
      runId: 'open',
      environment,
      openTarget: () =>
        createInProcessTarget({
          backend: 'wasm',
          instances: 1,
          models: { classify: { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir } },
        }),
    });
    const step = report.steps[0]!;
    expect(step.concurrency).toBeNull();
    expect(step.openLoop).toMatchObject({ process: 'poisson', targetRatePerSec: 40, maxInFlight: null });
    // ~40 sends in a second of schedule: Poisson varies, the bounds only catch a broken driver.
    expect(step.openLoop!.sends).toBeGreaterThan(15);
    expect(step.openLoop!.sends).toBeLessThan(80);
    expect(step.openLoop!.achievedRatePerSec).toBeGreaterThan(15);
    expect(step.completed).toBe(step.openLoop!.sends);
    expect(report.target).toEqual({ kind: 'inprocess', description: expect.any(String), url: null, protocol: null });
    expect(await readReport(outDir)).toMatchObject({ steps: [{ openLoop: { targetRatePerSec: 40 } }] });
  }, 30_000);
});

describe('runBenchmark, HTTP target', () => {
  it('closed loop over levels: connections auto sized to the peak level, server time recorded per step', async () => {
    server = await startFaultServer({ kind: 'delay', ms: 5, body: '{"label": "x", "ms": 2}' });
    const workload = workloadOf(`name: http-closed
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: label, serverTime: { path: ms } }
warmup: { requests: 2 }
measure: { requests: 20 }
stability: false  # exact counts: stop at the planned length
stages: [{ stage: classify, concurrency: [1, 3] }]`);
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-'));
    let target: HttpTarget | undefined;
    const { report } = await runBenchmark({
      workload,
      outDir,
      runId: 'http',
      environment,
      openTarget: async (w) => (target = await openHttp(w)),
    });
    expect(target?.connections).toBe(3);
    expect(report.steps.map((s) => [s.concurrency, s.completed, s.errors.total])).toEqual([
      [1, 20, 0],
      [3, 20, 0],
    ]);
    expect(report.steps[0]!.latencyMs.server?.p50).toBe(2);
    expect(report.steps[0]!.latencyMs.overhead?.p50).toBeGreaterThan(2);
    expect(report.target).toEqual({
      kind: 'http',
      description: `HTTP template ${server.url}`,
      url: server.url,
      protocol: 'template',
      health: null,
    });
    expect(report.backend).toBeNull();
  });

  it('every request failing still gives a report with errors by class; the run is not killed', async () => {
    server = await startFaultServer({ kind: 'status', status: 503 });
    const workload = workloadOf(`name: http-down
target:
  url: ${server.url}
  protocol: template
  template: { body: '{{texts}}', output: out }
load: { rates: [200] }
warmup: { requests: 0 }
measure: { requests: 12 }
stability: false  # exact counts: stop at the planned length
stages: [{ stage: classify, batchSizes: [2] }]`);
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-down-'));
    const events: RunEvent[] = [];
    const { report } = await runBenchmark({
      workload,
      outDir,
      runId: 'down',
      environment,
      onEvent: (event) => events.push(event),
      openTarget: openHttp,
    });
    const step = report.steps[0]!;
    expect(step.errors).toEqual({ total: 12, rate: 1, byClass: { http_5xx: 12 } });
    expect(step.completed).toBe(0);
    expect(step.complete).toBe(true); // every item failed, yet the step ran to its end
    expect(step.openLoop?.sends).toBe(6); // 12 items, 2 texts per request
    expect(server.received).toHaveLength(6);
    expect(report.warnings.some((w) => w.includes('12 failed items (http_5xx 12)'))).toBe(true);
    expect(report.warnings.filter((w) => w.startsWith('first http_5xx error: '))).toHaveLength(1);
    expect(events.some((e) => e.kind === 'run-end')).toBe(true);
  });

  it('a batch size the protocol cannot send is refused before the target is opened, and nothing is written', async () => {
    server = await startFaultServer({ kind: 'json', body: '{"out": "x"}' });
    const workload = workloadOf(`name: http-bad-batch
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
stages: [{ stage: classify, batchSizes: [1, 4] }]`);
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-http-batch-'));
    let opened = false;
    await expect(
      runBenchmark({ workload, outDir, runId: 'bad', environment, openTarget: (w) => ((opened = true), openHttp(w)) }),
    ).rejects.toThrow(
      'stages[classify].batchSizes: batch size 4 is more than the template protocol can send in one classify request (at most 1)',
    );
    expect(opened).toBe(false);
    expect(server.received).toHaveLength(0);
    expect(await readdir(outDir)).toEqual([]);
  });
});
