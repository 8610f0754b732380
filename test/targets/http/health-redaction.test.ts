import { describe, expect, it } from 'vitest';
import { TargetUnavailableError } from '../../../src/errors.js';
import { epochNowMs } from '../../../src/core/clock.js';
import { ERROR_BODY_KEEP_BYTES } from '../../../src/targets/http/send.js';
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
    const error = await createHttpTarget(templateSpec(closed.url, { health: { routes: ['/api/v1/health', '/health'], auto: true } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toBe(`target ${closed.url} is not reachable: connection refused (health check GET /api/v1/health)`);
  });

  it('an unresolvable host says ENOTFOUND and the host, not "client error"', async () => {
    const url = 'http://pipebench-no-such-host.invalid:8080';
    const error = await createHttpTarget(templateSpec(url, { health: { routes: ['/api/v1/health'], auto: false } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetUnavailableError);
    const message = (error as Error).message;
    // .invalid never resolves (RFC 6761); a resolver that cannot be reached says EAI_AGAIN instead.
    expect(message).toMatch(
      /^target http:\/\/pipebench-no-such-host\.invalid:8080 is not reachable: (ENOTFOUND|EAI_AGAIN): getaddrinfo \1 pipebench-no-such-host\.invalid \(health check GET \/api\/v1\/health\)$/,
    );
  });

  it('https:// to a plain-HTTP port shows the TLS error and the likely fix', async () => {
    server = await open.server([{ kind: 'json', body: '{}' }]);
    const httpsUrl = server.url.replace(/^http:/, 'https:');
    const error = await createHttpTarget(templateSpec(httpsUrl, { health: { routes: ['/health'], auto: false } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    // Node 20's OpenSSL 3 says "wrong version number"; other builds may name the bad record otherwise.
    const message = (error as Error).message;
    expect(message.startsWith(`target ${httpsUrl} is not reachable: ERR_SSL_`)).toBe(true);
    expect(message).toMatch(
      /: [a-z ]+ \(an https:\/\/ URL to a port that speaks plain HTTP\? use http:\/\/\) \(health check GET \/health\)$/,
    );
  });

  it('fails on a non-2xx health answer and passes on a 2xx one', async () => {
    server = await open.server([
      { kind: 'status', status: 503, body: 'warming up' },
      { kind: 'json', body: '{"status": "healthy"}' },
    ]);
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

  it('a secret that arrives split across body chunks is redacted whole before the quote is cut', async () => {
    const token = `tok-${'0123456789abcdefghijklmnopqrstuvwxyz'.repeat(9)}`;
    server = await open.server((request, res) => {
      // 150 bytes first, then the token in a later chunk: the quote's 200-character edge falls inside it.
      res.writeHead(401);
      res.write(`${'x'.repeat(149)} `);
      setTimeout(() => res.end(`${String(request.headers.authorization)} rejected`), 30);
    });
    target = await open.target(templateSpec(server.url, { auth: { kind: 'bearer-env', tokenEnv: 'TOKEN' } }), { env: { TOKEN: token } });
    await target.submit('classify', 'x', epochNowMs());
    expect(target.errorDetails.get('http_4xx')).toBe(`HTTP 401: ${'x'.repeat(149)} Bearer <redacted> rejected`);
  });

  it('a secret longer than the kept part of an error body, cut at that limit, shows no piece of it', async () => {
    const password = `pw-${'Zq9'.repeat(ERROR_BODY_KEEP_BYTES / 3)}`;
    server = await open.server((request, res) => {
      res.writeHead(401).end(`bad password ${(JSON.parse(request.body) as { password: string }).password} for this user`);
    });
    const login = { kind: 'login', url: '/login', usernameEnv: 'U', passwordEnv: 'P' } as const;
    const error = await createHttpTarget(templateSpec(server.url, { auth: login }), { env: { U: 'bob', P: password } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetUnavailableError);
    const message = (error as Error).message;
    // The kept 16 KiB are shorter than the password itself: all of it may go, never a piece of the password.
    expect(message).toMatch(/^login at http:\/\/127\.0\.0\.1:\d+\/login failed: (HTTP 401: (bad password )?)?\.\.\.$/);
    expect(message).not.toContain('Zq9Zq9');
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
