import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import type { HttpTarget } from '../../../src/targets/http/target.js';
import type { Protocol } from '../../../src/targets/http/protocol.js';
import type { HttpTargetSpec } from '../../../src/core/workload.js';
import { startFaultServer, type Behaviour, type FaultServer } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, templateSpec } from './spec.js';

let server: FaultServer | undefined;
let target: HttpTarget | undefined;
const open = closedAfterEach();

async function classOf(behaviour: Behaviour, overrides: Partial<HttpTargetSpec> = {}) {
  server = await open.server(behaviour);
  target = await open.target(templateSpec(server.url, overrides));
  const tArrivalMs = epochNowMs();
  const result = await target.submit('classify', 'hello', tArrivalMs);
  expect(result.tArrivalMs).toBe(tArrivalMs);
  expect(result.tResponseMs).toBeGreaterThanOrEqual(tArrivalMs);
  expect(result.queueMs).toBeGreaterThanOrEqual(0);
  expect(result.inferenceMs).toBeGreaterThanOrEqual(0);
  return result.ok ? 'ok' : result.errorClass;
}

const shortTimeouts = { timeouts: { connectMs: 1000, headersMs: 150, bodyMs: 150 } };
/** undici checks headers and body timeouts on a ~0.5 s tick, so a 150 ms timeout fires within ~1.5 s. */
const STALL_MS = 2500;

describe('HttpTarget faults: each is an ok:false result with its class, never a rejection', () => {
  it.each<[string, Behaviour, Partial<HttpTargetSpec>, string]>([
    ['500', { kind: 'status', status: 500 }, {}, 'http_5xx'],
    ['503', { kind: 'status', status: 503, retryAfter: '1' }, {}, 'http_5xx'],
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '0' }, {}, 'http_429'],
    ['404', { kind: 'status', status: 404 }, {}, 'http_4xx'],
    ['connection reset', { kind: 'reset' }, {}, 'connection_reset'],
    ['malformed JSON', { kind: 'malformed' }, {}, 'malformed_body'],
    ['missing output', { kind: 'json', body: '{"other": 1}' }, {}, 'protocol_mismatch'],
    ['truncated chunked body', { kind: 'truncated' }, {}, 'connection_reset'],
    ['huge body', { kind: 'huge', bytes: 1024 * 1024 }, { maxResponseBytes: 64 * 1024 }, 'body_too_large'],
    ['headers timeout', { kind: 'slow-headers', ms: STALL_MS, body: '{"outputs": 1}' }, shortTimeouts, 'timeout'],
    ['body timeout', { kind: 'slow-body', chunks: ['{"outputs"', ': 1}'], gapMs: STALL_MS }, shortTimeouts, 'timeout'],
    ['slow body within the timeout', { kind: 'slow-body', chunks: ['{"outputs"', ': 1}'], gapMs: 30 }, shortTimeouts, 'ok'],
  ])('%s', async (_name, behaviour, overrides, expected) => {
    expect(await classOf(behaviour, overrides)).toBe(expected);
  });

  it('a closed port is connection_refused', async () => {
    const closed = await startFaultServer({ kind: 'echo' });
    await closed.close();
    target = await open.target(templateSpec(closed.url));
    const result = await target.submit('classify', 'x', epochNowMs());
    expect(result).toMatchObject({ ok: false, errorClass: 'connection_refused' });
    expect(target.errorDetails.get('connection_refused')).toMatch(/ECONNREFUSED/);
  });

  it('keeps a non-2xx body snippet as the class detail and the connection usable', async () => {
    server = await open.server([
      { kind: 'status', status: 400, body: '{"error": "text too long"}' },
      { kind: 'json', body: '{"outputs": 1}' },
    ]);
    target = await open.target(templateSpec(server.url, { connections: 1 }));
    expect((await target.submit('classify', 'x', epochNowMs())).errorClass).toBe('http_4xx');
    expect(target.errorDetails.get('http_4xx')).toBe('HTTP 400: {"error": "text too long"}');
    expect((await target.submit('classify', 'x', epochNowMs())).ok).toBe(true);
  });

  it('a protocol that cannot build its request fails the item instead of rejecting', async () => {
    server = await open.server({ kind: 'echo' });
    const broken: Protocol = {
      name: 'template',
      maxItemsPerRequest: () => 1,
      request: () => {
        throw new Error('no shape for this stage');
      },
      decoder: () => ({ onData: () => undefined, finish: () => ({ ok: true, serverMs: null }) }),
    };
    target = await open.target(templateSpec(server.url), { protocol: broken });
    expect(await target.submit('classify', 'x', epochNowMs())).toMatchObject({ ok: false, errorClass: 'client_error' });
    expect(target.errorDetails.get('client_error')).toBe('template request: no shape for this stage');
    expect(server.requests).toBe(0);
  });

  it('a one-time stall delays only the first request', async () => {
    server = await open.server({ kind: 'stall-once', ms: 100, then: { kind: 'json', body: '{"outputs": 1}' } });
    target = await open.target(templateSpec(server.url));
    const first = await target.submit('classify', 'x', epochNowMs());
    const second = await target.submit('classify', 'y', epochNowMs());
    expect(first.ok && second.ok).toBe(true);
    expect(first.inferenceMs).toBeGreaterThanOrEqual(99);
    expect(second.inferenceMs).toBeLessThan(first.inferenceMs);
  });
});
