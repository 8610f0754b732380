/**
 * Issue 12 at run level, against real node:http servers on 127.0.0.1 driven by runBenchmark: a
 * body that trickles in is cut at the timeout (the run's length stays bounded), and a server that
 * closes each connection after answering, without `Connection: close`, costs resends, not errors.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { createHttpTarget } from '../../src/targets/http/target.js';
import type { Workload } from '../../src/core/workload.js';
import { closedAfterEach } from '../targets/http/spec.js';
import { environment, templateWorkload } from './fake-targets.js';

function workloadOf(url: string, yaml: string): Workload {
  return templateWorkload('http-timeouts', url, 'out', yaml);
}

async function run(workload: Workload): Promise<RunReport> {
  const { report } = await runBenchmark({
    workload,
    outDir: await mkdtemp(join(tmpdir(), 'pipebench-http-timeouts-')),
    runId: workload.name,
    environment,
    openTarget: (w) => {
      if (w.target.kind !== 'http') throw new Error('expected an HTTP workload');
      return createHttpTarget(w.target, { env: {} });
    },
  });
  return report;
}

const open = closedAfterEach();

describe('a server whose body trickles in (headers, then a byte every 100 ms)', () => {
  it('each request fails as timeout near its deadline, and the run lasts about requests / concurrency deadlines', async () => {
    const TIMEOUT_MS = 1000;
    const REQUESTS = 4;
    const CONCURRENCY = 2;
    // 115 bytes: 11.5 s per response if nothing cut it short.
    const server = await open.server({ kind: 'slow-body', chunks: [...`{"out": "ok"}${' '.repeat(102)}`], gapMs: 100 });
    const report = await run(
      workloadOf(
        server.url,
        `  timeouts: { headers: ${TIMEOUT_MS}ms, body: ${TIMEOUT_MS}ms }
  connections: ${CONCURRENCY}
warmup: { requests: 0 }
measure: { requests: ${REQUESTS}, maxDuration: 60s }
stability: false
stages: [{ stage: classify, concurrency: [${CONCURRENCY}] }]`,
      ),
    );
    const step = report.steps[0]!;
    expect(step.errors.byClass).toEqual({ timeout: REQUESTS });
    expect(step.completed).toBe(0);
    // Each round of requests ends one gap plus one body timeout after it started; allow twice that.
    const rounds = REQUESTS / CONCURRENCY;
    expect(step.measuredMs).toBeGreaterThanOrEqual(rounds * TIMEOUT_MS);
    expect(step.measuredMs).toBeLessThan(rounds * 2 * TIMEOUT_MS);
    expect(report.warnings).toContain(`first timeout error: response body not complete within ${TIMEOUT_MS} ms of its headers`);
  }, 60_000);
});

describe('a server that closes each connection after answering, without Connection: close', () => {
  it('at 8 in flight: no errors; the requests a closing connection took are sent again and counted as retries', async () => {
    // One answer per connection: the connection closes 30 ms after it (keep-alive said, not
    // kept), and a request the client wrote on it in between is never answered: the keep-alive race.
    const answered = new WeakSet<object>();
    let dropped = 0;
    const server = await open.server((_request, res) => {
      const socket = res.socket!;
      if (answered.has(socket)) {
        dropped += 1;
        return;
      }
      answered.add(socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"out": "ok"}');
      setTimeout(() => socket.destroy(), 30);
    });
    const report = await run(
      workloadOf(
        server.url,
        `  connections: 8
warmup: { requests: 0 }
measure: { duration: 2s }
stability: false
stages: [{ stage: classify, concurrency: [8] }]`,
      ),
    );
    const step = report.steps[0]!;
    expect(step.errors).toEqual({ total: 0, rate: 0, byClass: {} });
    expect(step.completed).toBeGreaterThan(8);
    // Every request the server dropped was sent again; at most once per item (retries: 0).
    expect(dropped).toBeGreaterThan(0);
    expect(step.retries).toBeGreaterThanOrEqual(dropped);
    expect(step.retries).toBeLessThanOrEqual(step.completed);
  }, 60_000);
});
