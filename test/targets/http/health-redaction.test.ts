import { describe, expect, it } from 'vitest';
import { TargetUnavailableError } from '../../../src/errors.js';
import { epochNowMs } from '../../../src/metrics/clock.js';
import { createHttpTarget, type HttpTarget } from '../../../src/targets/http/target.js';
import { startFaultServer, type FaultServer } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, templateSpec } from './spec.js';

let server: FaultServer | undefined;
let target: HttpTarget | undefined;
const open = closedAfterEach();

describe('health preflight', () => {
  it('fails at the first route with one clear line when nothing listens (the rest are not tried)', async () => {
    const closed = await startFaultServer({ kind: 'echo' });
    await closed.close();
    const error = await createHttpTarget(templateSpec(closed.url, { health: { routes: ['/api/v1/health', '/health'], auto: true } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toBe(`target ${closed.url} is not reachable: connection refused (health check GET /api/v1/health)`);
  });

  it('fails on a non-2xx health answer and passes on a 2xx one', async () => {
    server = await open.server([{ kind: 'status', status: 503, body: 'warming up' }, { kind: 'json', body: '{"status": "healthy"}' }]);
    await expect(createHttpTarget(templateSpec(server.url, { health: { routes: ['/health'], auto: false } }))).rejects.toThrow(
      `target ${server.url} is not healthy: HTTP 503: warming up (health check GET /health)`,
    );
    target = await open.target(templateSpec(server.url, { health: { routes: [`${server.url}/health`], auto: false } }));
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /health', 'GET /health']);
  });
});

describe('secrets never reach results or messages', () => {
  it('redacts a token the server echoes back in an error body', async () => {
    server = await open.server((request, res) => {
      res.writeHead(401).end(`invalid credentials: ${String(request.headers.authorization)} / key ${String(request.headers['x-api-key'])}`);
    });
    const spec = templateSpec(server.url, { auth: { kind: 'bearer-env', tokenEnv: 'TOKEN' }, headers: { 'x-api-key': { env: 'KEY' } } });
    target = await open.target(spec, { env: { TOKEN: 'tkn-8f3a9c', KEY: 'key-77aa' } });
    const result = await target.submit('classify', 'x', epochNowMs());
    expect(result).toMatchObject({ ok: false, errorClass: 'http_4xx' });
    const detail = target.errorDetails.get('http_4xx') ?? '';
    expect(detail).toBe('HTTP 401: invalid credentials: Bearer <redacted> / key <redacted>');
    const everything = JSON.stringify([result, [...target.errorDetails], target.info]);
    expect(everything).not.toContain('tkn-8f3a9c');
    expect(everything).not.toContain('key-77aa');
  });

  it('redacts the token in a failed health check message', async () => {
    server = await open.server((request, res) => {
      res.writeHead(500).end(`boom ${String(request.headers['x-api-key'])}`);
    });
    const spec = templateSpec(server.url, { health: { routes: ['/h'], auto: false }, headers: { 'x-api-key': { env: 'KEY' } } });
    const error = await createHttpTarget(spec, { env: { KEY: 'key-99bb' } }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('boom <redacted>');
    expect((error as Error).message).not.toContain('key-99bb');
  });
});
