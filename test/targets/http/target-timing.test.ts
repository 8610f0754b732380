import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import type { HttpTarget } from '../../../src/targets/http/target.js';
import type { ItemResult } from '../../../src/core/item-result.js';
import type { FaultServer } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, BATCH_OPTIONS, templateSpec } from './spec.js';

let server: FaultServer | undefined;
let target: HttpTarget | undefined;
const open = closedAfterEach();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

describe('HttpTarget timing', () => {
  it('measures a server that answers after exactly 50 ms as ~50 ms of inference', async () => {
    server = await open.server({ kind: 'delay', ms: 50, body: '{"outputs": "x"}' });
    target = await open.target(templateSpec(server.url, { connections: 1 }));
    await target.configure('classify', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 8 });
    await target.submit('classify', 'warm the connection', epochNowMs());
    const inferenceMs: number[] = [];
    const overheadMs: number[] = [];
    for (let i = 1; i <= 15; i += 1) {
      const result = await target.submit('classify', `prompt ${i}`, epochNowMs());
      expect(result).toMatchObject({ ok: true, batchSize: 1 });
      expect(result.queueMs).toBeGreaterThanOrEqual(0);
      expect(result.queueMs + result.inferenceMs).toBeCloseTo(result.tResponseMs - result.tArrivalMs, 6);
      const { arrivedAtMs, answeredAtMs } = server.received[i] ?? { arrivedAtMs: 0, answeredAtMs: null };
      const heldMs = (answeredAtMs ?? Infinity) - arrivedAtMs;
      expect(heldMs).toBeGreaterThanOrEqual(50);
      inferenceMs.push(result.inferenceMs);
      overheadMs.push(result.inferenceMs - heldMs);
    }
    // What the target adds to the server's own time (loopback, parsing, one event-loop turn each way).
    expect(median(overheadMs)).toBeGreaterThanOrEqual(0);
    expect(median(overheadMs)).toBeLessThan(1);
    // The fixture answers at exactly 50 ms unless the machine is so loaded its timers run late.
    expect(median(inferenceMs)).toBeGreaterThanOrEqual(50);
  });

  it('counts waiting for the one connection as queue time, not inference', async () => {
    server = await open.server({ kind: 'delay', ms: 40, body: '{"outputs": "x"}' });
    target = await open.target(templateSpec(server.url, { connections: 1 }));
    const tArrivalMs = epochNowMs();
    const results = await Promise.all([target.submit('classify', 'a', tArrivalMs), target.submit('classify', 'b', tArrivalMs)]);
    expect(results.every((result) => result.ok)).toBe(true);
    const [earlier, later] = [...results].sort((a, b) => a.queueMs - b.queueMs) as [ItemResult, ItemResult];
    // The one connection takes the second request only once the first response is complete.
    expect(later.tArrivalMs + later.queueMs).toBeGreaterThanOrEqual(earlier.tResponseMs - 0.5);
    expect(later.queueMs).toBeGreaterThanOrEqual(39);
    // Its inference is the server's time for it alone, not the wait.
    const { arrivedAtMs, answeredAtMs } = server.received[1] ?? { arrivedAtMs: 0, answeredAtMs: null };
    const heldMs = (answeredAtMs ?? Infinity) - arrivedAtMs;
    expect(later.inferenceMs).toBeGreaterThanOrEqual(heldMs);
    expect(later.inferenceMs - heldMs).toBeLessThan(5);
  });

  it('sends a static batch as one request and shares its timings across the items', async () => {
    server = await open.server({ kind: 'json', body: '{"outputs": [1, 2, 3], "meta": {"took": 0.004}}' });
    target = await open.target(templateSpec(server.url, { options: BATCH_OPTIONS }));
    await target.configure('classify', { maxBatchSize: 3, maxQueueDelayMs: 0, maxNewTokens: 8 });
    const results = await target.submitBatch('classify', ['a', 'b', 'c'], epochNowMs());
    expect(server.requests).toBe(1);
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({ texts: ['a', 'b', 'c'] });
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
    expect(results).toHaveLength(3);
    for (const result of results) expect(result).toEqual({ ...results[0], ok: true, batchSize: 3, serverMs: 4 });
  });

  it('refuses a batch size the protocol cannot send, naming the field and the limit', async () => {
    server = await open.server({ kind: 'json', body: '{"outputs": 1}' });
    target = await open.target(templateSpec(server.url));
    await expect(target.configure('generate', { maxBatchSize: 4, maxQueueDelayMs: 0, maxNewTokens: 8 })).rejects.toThrow(
      /stages\[generate\]\.batchSizes: batch size 4 .*template.*at most 1/,
    );
  });

  it('joins the protocol path to the stage endpoint and reports info without credentials', async () => {
    server = await open.server({ kind: 'echo' });
    const spec = templateSpec('http://user:pw@127.0.0.1:1/base', {
      endpoints: { generate: `${server.url}/gen/` },
      options: { protocol: 'template', method: 'PUT', body: '{"t": {{text}}}', outputPath: 'method', serverTime: null },
    });
    target = await open.target(spec);
    expect(target.info).toEqual({
      kind: 'http',
      description: 'HTTP template http://127.0.0.1:1/base',
      url: 'http://127.0.0.1:1/base',
      protocol: 'template',
      health: null,
    });
    expect(target.backend).toBeNull();
    expect(target.models).toEqual([]);
    const result = await target.submit('generate', 'hi', epochNowMs());
    expect(result.ok).toBe(true);
    expect(server.received[0]).toMatchObject({ method: 'PUT', url: '/gen', body: '{"t": "hi"}' });
  });

  it('opens `connections` sockets per origin and keeps them alive across requests', async () => {
    const ports = new Set<number>();
    server = await open.server((_request, res) => {
      ports.add(res.socket?.remotePort ?? 0);
      setTimeout(() => res.end('{"outputs": 1}'), 20);
    });
    target = await open.target(templateSpec(server.url, { connections: 3 }));
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => target?.submit('classify', `t${i}`, epochNowMs())));
      expect(results.every((result) => result?.ok)).toBe(true);
    }
    expect(ports.size).toBe(3);
  });

  it('sizes "auto" pools from setConnections and closes idempotently', async () => {
    server = await open.server({ kind: 'json', body: '{"outputs": 1}' });
    target = await open.target(templateSpec(server.url, { connections: 'auto' }));
    expect(target.connections).toBe(1);
    await target.setConnections(8);
    expect(target.connections).toBe(8);
    expect((await target.submit('classify', 'x', epochNowMs())).ok).toBe(true);
    await target.close();
    await target.close();
    const afterClose = await target.submit('classify', 'x', epochNowMs());
    expect(afterClose).toMatchObject({ ok: false, errorClass: 'client_error' });
  });
});
