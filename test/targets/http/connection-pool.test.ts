/**
 * The target's connections (connection-pool.ts) against real node:http servers on 127.0.0.1: a
 * request sent as the previous response completes goes out in that event-loop turn; requests beyond
 * the connections wait their turn in order (however many); closing fails what still waits.
 */
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import { clientSocketsPerTest } from './client-sockets.js';
import { closedAfterEach, templateSpec } from './spec.js';

const open = closedAfterEach();
const clientSockets = clientSocketsPerTest();

describe('HttpTarget connections', () => {
  it('writes a request sent as the previous response completes in that same event-loop turn', async () => {
    const server = await open.server({ kind: 'json', body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 1 }));
    await target.submit('classify', 'open the connection', epochNowMs());
    for (let round = 0; round < 20; round++) {
      // Here, as in the closed loop, the previous response has just completed (a microtask after it).
      await target.submit('classify', `previous ${round}`, epochNowMs());
      const next = target.submit('classify', `next ${round}`, epochNowMs());
      // An immediate queued now runs in this turn's check phase, after undici's own (its one-turn
      // wait before reusing an idle socket): the request must have been written by then. Through
      // undici's Pool it waited in the pool's queue for the connection's 'drain', a turn later.
      let probeMs = Number.NaN;
      setImmediate(() => {
        probeMs = epochNowMs();
      });
      const result = await next;
      expect(result.ok).toBe(true);
      const writtenMs = result.tArrivalMs + result.queueMs;
      expect(writtenMs, `round ${round}: written ${writtenMs - probeMs} ms after the turn's check phase`).toBeLessThan(probeMs);
    }
  });

  it('past its connections, requests wait and are written in the order they were sent, on no more connections', async () => {
    const server = await open.server({ kind: 'delay', ms: 20, body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 2 }));
    const tArrivalMs = epochNowMs();
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => target.submit('classify', `p${i}`, tArrivalMs)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(clientSockets).toHaveLength(2);
    const writtenMs = results.map((result) => result.tArrivalMs + result.queueMs);
    expect(writtenMs).toEqual([...writtenMs].sort((a, b) => a - b));
    expect(server.received.map((request) => JSON.parse(request.body).text)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    // Two at a time: the last pair waited for three answers of 20 ms before it.
    expect(results[6]!.queueMs).toBeGreaterThanOrEqual(3 * 20 - 1);
  });

  it('with pipelining 2, spreads requests over its connections before it stacks any (undici writes a POST only after the answer before it)', async () => {
    const server = await open.server({ kind: 'delay', ms: 20, body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 4, pipelining: 2 }));
    const tArrivalMs = epochNowMs();
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => target.submit('classify', `p${i}`, tArrivalMs)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(clientSockets).toHaveLength(4);
    // Each went out before any answer came back: none waited behind another on a shared connection.
    const firstAnswerMs = Math.min(...results.map((result) => result.tResponseMs));
    for (const result of results) expect(result.tArrivalMs + result.queueMs).toBeLessThan(firstAnswerMs);
  });

  it('target.pipelining 2 on one connection: the second request goes out before the first is answered', async () => {
    const server = await open.server({ kind: 'delay', ms: 20, body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 1, pipelining: 2 }));
    await target.submit('classify', 'open the connection', epochNowMs());
    const tArrivalMs = epochNowMs();
    const [first, second] = await Promise.all([0, 1].map((i) => target.submit('classify', `p${i}`, tArrivalMs)));
    expect(first!.ok && second!.ok).toBe(true);
    expect(clientSockets).toHaveLength(1);
    // Without blocking: false and idempotent: true undici writes a POST only after the answer before it.
    expect(second!.tArrivalMs + second!.queueMs).toBeLessThan(first!.tResponseMs);
  });

  it('a queue of thousands on one connection (compacted as it goes) writes every request once, in order', async () => {
    const server = await open.server({ kind: 'json', body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 1 }));
    const count = 2500;
    const results = await Promise.all(Array.from({ length: count }, (_, i) => target.submit('classify', `p${i}`, epochNowMs())));
    expect(results.filter((result) => result.ok)).toHaveLength(count);
    expect(server.received.map((request) => JSON.parse(request.body).text)).toEqual(Array.from({ length: count }, (_, i) => `p${i}`));
  });

  it('closing the target fails the requests still waiting for a connection (none is left hanging)', async () => {
    const server = await open.server({ kind: 'slow-headers', ms: 300, body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 1 }));
    const sent = Array.from({ length: 3 }, (_, i) => target.submit('classify', `p${i}`, epochNowMs()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toBe(1);
    await target.close();
    const results = await Promise.all(sent);
    expect(results.map((result) => result.ok)).toEqual([false, false, false]);
    expect(server.requests).toBe(1);
  });
});
