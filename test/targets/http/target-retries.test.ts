import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import type { HttpTarget } from '../../../src/targets/http/target.js';
import type { Behaviour, FaultServer } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, templateSpec } from './spec.js';

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
