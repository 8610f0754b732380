import { describe, expect, it } from 'vitest';
import { InputError, TargetUnavailableError } from '../../../src/errors.js';
import { epochNowMs } from '../../../src/core/clock.js';
import { createHttpTarget, type HttpTarget } from '../../../src/targets/http/target.js';
import { startFaultServer, type FaultServer } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, templateSpec } from './spec.js';

let server: FaultServer | undefined;
let target: HttpTarget | undefined;
const open = closedAfterEach();

const LOGIN = { kind: 'login', url: '/api/v1/auth/login', usernameEnv: 'BP_USER', passwordEnv: 'BP_PASS' } as const;
const ENV = { BP_USER: 'alice', BP_PASS: 'hunter2-password' };

/** A BetterPrompts-like service: login hands out tok-1, tok-2, ... valid 1 s; /enhance answers with the token it saw. */
function authService(expiresInS: number) {
  let logins = 0;
  return startFaultServer((request, res) => {
    if (request.url === '/api/v1/auth/login') {
      const { email_or_username: user, password } = JSON.parse(request.body) as Record<string, string>;
      if (user !== ENV.BP_USER || password !== ENV.BP_PASS) {
        res.writeHead(401).end(JSON.stringify({ error: `bad password ${password}` }));
        return;
      }
      logins += 1;
      res.writeHead(200).end(JSON.stringify({ access_token: `tok-${logins}`, refresh_token: 'r', expires_in: expiresInS }));
      return;
    }
    res.writeHead(200).end(JSON.stringify({ outputs: request.headers.authorization ?? null }));
  });
}

describe('HttpTarget auth', () => {
  it('sends a bearer token read from the environment', async () => {
    server = await open.server({ kind: 'echo' });
    target = await open.target(templateSpec(server.url, { auth: { kind: 'bearer-env', tokenEnv: 'BP_TOKEN' } }), {
      env: { BP_TOKEN: 'abc123' },
    });
    await target.submit('classify', 'x', epochNowMs());
    expect(server.received[0]?.headers.authorization).toBe('Bearer abc123');
  });

  it('names the field and the variable when the token is missing or empty', async () => {
    const spec = templateSpec('http://127.0.0.1:1', { auth: { kind: 'bearer-env', tokenEnv: 'BP_TOKEN' } });
    const error = await createHttpTarget(spec, { env: { BP_TOKEN: '' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toBe('target.auth.tokenEnv');
    expect((error as Error).message).toMatch(/BP_TOKEN/);
  });

  it('a missing login variable wins over a target that is down: checked before the health check', async () => {
    const down = await startFaultServer({ kind: 'echo' });
    await down.close(); // nothing listens on its port now
    const spec = templateSpec(down.url, { auth: LOGIN, health: { routes: ['/api/v1/health'], auto: false } });
    const error = await createHttpTarget(spec, { env: { BP_USER: 'alice' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('target.auth.passwordEnv: environment variable BP_PASS is not set (or empty)');
    // With the variables set, the same target is what fails.
    await expect(createHttpTarget(spec, { env: ENV })).rejects.toThrow(TargetUnavailableError);
  });

  it('sends workload headers, from values or the environment, and names a missing variable', async () => {
    server = await open.server({ kind: 'echo' });
    const headers = { 'X-Test-Mode': { value: 'true' }, 'x-api-key': { env: 'API_KEY' } };
    target = await open.target(templateSpec(server.url, { headers }), { env: { API_KEY: 'k-1' } });
    await target.submit('classify', 'x', epochNowMs());
    expect(server.received[0]?.headers).toMatchObject({ 'x-test-mode': 'true', 'x-api-key': 'k-1', 'content-type': 'application/json' });
    await expect(createHttpTarget(templateSpec(server.url, { headers }), { env: {} })).rejects.toThrow(
      /^target\.headers\.x-api-key: .*API_KEY/,
    );
  });

  it('logs in, sends the token, and renews it in the background before it expires', async () => {
    server = await authService(1);
    target = await open.target(templateSpec(server.url, { auth: LOGIN }), { env: ENV });
    const login = server.received[0];
    expect(login).toMatchObject({ method: 'POST', url: '/api/v1/auth/login' });
    expect(JSON.parse(login?.body ?? '')).toEqual({ email_or_username: 'alice', password: 'hunter2-password' });
    expect(server.received[1]).toBeUndefined();
    expect(target.authState.logins).toBe(1);
    await target.submit('classify', 'x', epochNowMs());
    expect(server.received.at(-1)?.headers.authorization).toBe('Bearer tok-1');
    // Renewal at 80 % of 1 s; sends go on meanwhile.
    for (let i = 0; i < 60 && target.authState.logins < 2; i += 1) {
      await target.submit('classify', 'x', epochNowMs());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(target.authState).toEqual({ logins: 2, renewalError: null });
    await target.submit('classify', 'x', epochNowMs());
    expect(server.received.at(-1)?.headers.authorization).toBe('Bearer tok-2');
  });

  it('fails the open with the status and no password when the login is refused', async () => {
    server = await authService(60);
    const error = await createHttpTarget(templateSpec(server.url, { auth: LOGIN }), { env: { ...ENV, BP_PASS: 'wrong-secret-pw' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/login at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/login failed: HTTP 401/);
    expect(message).toContain('<redacted>');
    expect(message).not.toContain('wrong-secret-pw');
  });

  it('keeps user:password of a base URL out of a failed login message', async () => {
    server = await authService(60);
    const withCredentials = server.url.replace('http://', 'http://bob:s3cret-url-pw@');
    const error = await createHttpTarget(templateSpec(withCredentials, { auth: LOGIN }), {
      env: { ...ENV, BP_PASS: 'wrong-secret-pw' },
    }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toMatch(/login at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/login failed: HTTP 401/);
    expect(message).not.toContain('s3cret-url-pw');
    expect(message).not.toContain('bob');
  });
});
