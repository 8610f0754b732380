/**
 * A step's start (issue 16): what can be readied without a request is readied before the step's
 * clock starts. Against a real node:http server on 127.0.0.1, driven by runBenchmark with no
 * warm-up: the connections the step keeps in flight were connected (seen from the client's side,
 * through node's net.client.socket channel) before its first measured send, and the server saw no
 * request beyond the measured ones.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../src/core/clock.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { createHttpTarget } from '../../src/targets/http/target.js';
import { environment, templateWorkload } from './fake-targets.js';

describe('a closed-loop HTTP step with no warm-up', () => {
  it('opens its connections before its clock starts and sends no request beyond the measured ones', async () => {
    const IN_FLIGHT = 8;
    const REQUESTS = 64;
    const connectedAtMs: number[] = [];
    const requestAtMs: number[] = [];
    const onClientSocket = (message: unknown): void => {
      (message as { socket: Socket }).socket.once('connect', () => connectedAtMs.push(epochNowMs()));
    };
    const server = createServer((request, response) => {
      requestAtMs.push(epochNowMs());
      request.resume();
      request.on('end', () => setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"out": "ok"}'), 2));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    subscribe('net.client.socket', onClientSocket);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const workload = templateWorkload(
        'step-start',
        url,
        'out',
        `warmup: { requests: 0 }
measure: { requests: ${REQUESTS}, maxDuration: 30s }
stability: false
stages: [{ stage: classify, concurrency: [${IN_FLIGHT}] }]`,
      );
      const { report } = await runBenchmark({
        workload,
        outDir: await mkdtemp(join(tmpdir(), 'pipebench-step-start-')),
        runId: workload.name,
        environment,
        openTarget: (w) => {
          if (w.target.kind !== 'http') throw new Error('expected an HTTP workload');
          return createHttpTarget(w.target, { env: {} });
        },
      });
      const step = report.steps[0]!;
      expect(step.completed).toBe(REQUESTS);
      expect(requestAtMs).toHaveLength(REQUESTS);
      expect(connectedAtMs).toHaveLength(IN_FLIGHT);
      // Every connection was there before the step's first measured send (its start), and before any request.
      expect(Math.max(...connectedAtMs)).toBeLessThan(step.startedAtMs);
      expect(Math.max(...connectedAtMs)).toBeLessThan(Math.min(...requestAtMs));
    } finally {
      unsubscribe('net.client.socket', onClientSocket);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
