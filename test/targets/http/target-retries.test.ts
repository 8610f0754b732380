import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import type { HttpTarget } from '../../../src/targets/http/target.js';
import type { Behaviour, FaultServer } from '../../fixtures/http/fault-server.js';
import { BATCH_OPTIONS, closedAfterEach, templateSpec } from './spec.js';

let server: FaultServer | undefined;
let target: HttpTarget | undefined;
const open = closedAfterEach();

const OK: Behaviour = { kind: 'json', body: '{"outputs": 1}' };

async function run(behaviours: readonly Behaviour[], retries: number) {
  server = await open.server(behaviours);
  target = await open.target(templateSpec(server.url, { retries, connections: 1 }));
  return target.submit('classify', 'x', epochNowMs());
}

describe('HttpTarget retries', () => {
  it('does not retry unless asked', async () => {
    const result = await run([{ kind: 'status', status: 503, retryAfter: '0' }, OK], 0);
    expect(result).toMatchObject({ ok: false, errorClass: 'http_5xx' });
    expect(server?.requests).toBe(1);
  });

  it('retries 429 and 503 honouring Retry-After, and the wait counts in the latency', async () => {
    const result = await run([{ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'status', status: 503, retryAfter: '1' }, OK], 2);
    expect(result.ok).toBe(true);
    expect(server?.requests).toBe(3);
    expect(result.tResponseMs - result.tArrivalMs).toBeGreaterThanOrEqual(1000);
    expect(result.queueMs + result.inferenceMs).toBeCloseTo(result.tResponseMs - result.tArrivalMs, 6);
  });

  it('retries a reset connection, up to the limit', async () => {
    expect((await run([{ kind: 'reset' }, OK], 1)).ok).toBe(true);
    await target?.close();
    await server?.close();
    const exhausted = await run([{ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' }, OK], 2);
    expect(exhausted).toMatchObject({ ok: false, errorClass: 'connection_reset' });
    expect(server?.requests).toBe(3);
  });

  it('never retries a 500 or a malformed body', async () => {
    expect(await run([{ kind: 'status', status: 500 }, OK], 3)).toMatchObject({ ok: false, errorClass: 'http_5xx' });
    expect(server?.requests).toBe(1);
  });

  it('close() cuts a Retry-After wait short', async () => {
    server = await open.server([{ kind: 'status', status: 429, retryAfter: '30' }, OK]);
    target = await open.target(templateSpec(server.url, { retries: 1 }));
    const pending = target.submit('classify', 'x', epochNowMs());
    while (server.requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closedAtMs = epochNowMs();
    await target.close();
    const result = await pending;
    expect(epochNowMs() - closedAtMs).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, errorClass: 'http_429' });
    expect(server.requests).toBe(1);
  });
});

describe('the keep-alive race: a reused connection closed before a single response byte', () => {
  /** Behaviours per request, and the socket each request came in on. */
  async function serve(behaviours: readonly ('ok' | 'close')[]): Promise<{ server: FaultServer; sockets: Socket[] }> {
    const sockets: Socket[] = [];
    const server = await open.server((_request, res) => {
      const socket = res.socket!;
      const behaviour = behaviours[Math.min(sockets.length, behaviours.length - 1)];
      sockets.push(socket);
      if (behaviour === 'close') socket.destroy();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"outputs": [1, 1]}');
    });
    return { server, sockets };
  }

  it('is sent again once, on a fresh connection, with retries: 0, and counted as a retry', async () => {
    const { server, sockets } = await serve(['ok', 'close', 'ok']);
    target = await open.target(templateSpec(server.url, { connections: 1, retries: 0 }));
    const first = await target.submit('classify', 'x', epochNowMs());
    expect(first.ok).toBe(true);
    expect(first.retries).toBeUndefined();
    const second = await target.submit('classify', 'y', epochNowMs());
    expect(second).toMatchObject({ ok: true, retries: 1 });
    expect(server.requests).toBe(3);
    expect(sockets[1]).toBe(sockets[0]); // written on the reused connection
    expect(sockets[2]).not.toBe(sockets[1]); // sent again on a fresh one
    // The item's latency covers both attempts.
    expect(second.queueMs + second.inferenceMs).toBeCloseTo(second.tResponseMs - second.tArrivalMs, 6);
  });

  it('is not sent again when the connection was fresh', async () => {
    const { server } = await serve(['close', 'ok']);
    target = await open.target(templateSpec(server.url, { connections: 1, retries: 0 }));
    const result = await target.submit('classify', 'x', epochNowMs());
    expect(result).toMatchObject({ ok: false, errorClass: 'connection_reset' });
    expect(result.retries).toBeUndefined();
    expect(server.requests).toBe(1);
  });

  it('is not sent again once part of a response came back', async () => {
    server = await open.server([OK, { kind: 'truncated' }, OK]);
    target = await open.target(templateSpec(server.url, { connections: 1, retries: 0 }));
    expect((await target.submit('classify', 'x', epochNowMs())).ok).toBe(true);
    expect(await target.submit('classify', 'y', epochNowMs())).toMatchObject({ ok: false, errorClass: 'connection_reset' });
    expect(server.requests).toBe(2);
  });

  it('is sent again only once: when the fresh connection fails too, the item fails (or takes the workload retries)', async () => {
    const { server } = await serve(['ok', 'close', 'close', 'ok']);
    target = await open.target(templateSpec(server.url, { connections: 1, retries: 0 }));
    await target.submit('classify', 'x', epochNowMs());
    expect(await target.submit('classify', 'y', epochNowMs())).toMatchObject({ ok: false, errorClass: 'connection_reset', retries: 1 });
    expect(server.requests).toBe(3);
    await target.close();
    const again = await serve(['ok', 'close', 'close', 'ok']);
    target = await open.target(templateSpec(again.server.url, { connections: 1, retries: 1 }));
    await target.submit('classify', 'x', epochNowMs());
    // The resend, then the workload's one retry: two resends on the item.
    expect(await target.submit('classify', 'y', epochNowMs())).toMatchObject({ ok: true, retries: 2 });
    expect(again.server.requests).toBe(4);
  });

  it('a batch request sent again counts one retry, on its first item', async () => {
    const { server } = await serve(['ok', 'close', 'ok']);
    target = await open.target(templateSpec(server.url, { connections: 1, options: BATCH_OPTIONS }));
    await target.submitBatch('classify', ['a', 'b'], epochNowMs());
    const results = await target.submitBatch('classify', ['c', 'd'], epochNowMs());
    expect(results.map((r) => [r.ok, r.retries])).toEqual([
      [true, 1],
      [true, undefined],
    ]);
  });
});
