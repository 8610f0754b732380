/**
 * Bearer tokens for the target: read from an environment variable, or obtained by logging in
 * (BetterPrompts: POST {email_or_username, password} -> {access_token, expires_in}) and renewed
 * in the background at 80 % of the token's lifetime, so sends never wait for a login.
 */
import { InputError, TargetUnavailableError } from '../../errors.js';
import type { AuthSpec } from '../../core/workload.js';
import { describeFailure, oneShot } from './one-shot.js';
import type { SecretRedactor } from './redact.js';

/** Renew when this share of the token's lifetime has passed. */
export const RENEW_AT_FRACTION = 0.8;
export const LOGIN_TIMEOUT_MS = 10_000;
/** After a failed renewal, try again this soon (the old token may still be valid). */
const RENEW_RETRY_MS = 1000;
/** setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer-lived tokens renew then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AuthSession {
  /** The current `authorization` header value; null when the target has no auth. */
  readonly authorization: string | null;
  /** Logins so far (1 after open, +1 per renewal). */
  readonly logins: number;
  /** The last renewal failure (redacted), cleared by a successful renewal. */
  readonly renewalError: string | null;
  /** Called after each renewal so the target can rebuild its prepared headers. */
  onRenewed(listener: () => void): void;
  close(): void;
}

/** What auth needs from the environment, read before the target is touched. */
export type AuthCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'login'; readonly url: string; readonly username: string; readonly password: string };

/**
 * Reads the variables the workload names (an unset one is an InputError naming its field) and
 * registers the secrets with the redactor: a missing variable is an input error, reported before
 * any health check or login, whatever state the target is in.
 */
export function readAuthCredentials(spec: AuthSpec | null, env: NodeJS.ProcessEnv, redactor: SecretRedactor): AuthCredentials {
  if (spec === null) return { kind: 'none' };
  if (spec.kind === 'bearer-env') {
    const token = readEnv(env, spec.tokenEnv, 'target.auth.tokenEnv');
    redactor.add(token);
    return { kind: 'bearer', token };
  }
  const username = readEnv(env, spec.usernameEnv, 'target.auth.usernameEnv');
  const password = readEnv(env, spec.passwordEnv, 'target.auth.passwordEnv');
  redactor.add(password);
  // What Basic auth would send (and a server may echo): base64 of user:password.
  redactor.add(`${username}:${password}`);
  return { kind: 'login', url: spec.url, username, password };
}

export async function openAuth(credentials: AuthCredentials, baseUrl: string, redactor: SecretRedactor): Promise<AuthSession> {
  if (credentials.kind === 'none') return new StaticAuth(null);
  if (credentials.kind === 'bearer') return new StaticAuth(`Bearer ${credentials.token}`);
  const loginUrl = new URL(credentials.url, baseUrl);
  // A relative login path inherits user:password from the base URL; they must not reach messages.
  if (loginUrl.password !== '') redactor.add(decodeURIComponent(loginUrl.password));
  loginUrl.username = '';
  loginUrl.password = '';
  const session = new LoginAuth(
    loginUrl,
    JSON.stringify({ email_or_username: credentials.username, password: credentials.password }),
    redactor,
  );
  await session.login();
  return session;
}

function readEnv(env: NodeJS.ProcessEnv, name: string, where: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new InputError(where, `environment variable ${name} is not set (or empty)`);
  }
  return value;
}

class StaticAuth implements AuthSession {
  readonly logins = 0;
  readonly renewalError = null;
  constructor(readonly authorization: string | null) {}
  onRenewed(): void {}
  close(): void {}
}

class LoginAuth implements AuthSession {
  authorization: string | null = null;
  logins = 0;
  renewalError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly url: URL,
    private readonly body: string,
    private readonly redactor: SecretRedactor,
  ) {}

  onRenewed(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Logs in once; throws TargetUnavailableError (redacted) when the service refuses. */
  async login(): Promise<void> {
    const { outcome, text } = await oneShot(
      this.url,
      { method: 'POST', headers: ['content-type', 'application/json'], body: this.body },
      LOGIN_TIMEOUT_MS,
    );
    if (!outcome.ok) throw this.failure(describeFailure(outcome, this.redactor));
    const { token, expiresInS } = this.readToken(text);
    this.redactor.add(token);
    this.authorization = `Bearer ${token}`;
    this.logins += 1;
    this.schedule(expiresInS * 1000 * RENEW_AT_FRACTION);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readToken(text: string): { token: string; expiresInS: number } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.failure('the response is not JSON');
    }
    const { access_token: token, expires_in: expiresInS } = (parsed ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (typeof token !== 'string' || token === '') throw this.failure('the response has no access_token');
    if (typeof expiresInS !== 'number' || !(expiresInS > 0)) throw this.failure('the response has no positive expires_in');
    return { token, expiresInS };
  }

  private failure(reason: string): TargetUnavailableError {
    return new TargetUnavailableError(this.redactor.redact(`login at ${this.url.href} failed: ${reason}`));
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.renew(), Math.min(delayMs, MAX_TIMER_MS));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    this.timer = null;
    try {
      await this.login();
      this.renewalError = null;
      if (!this.closed) for (const listener of this.listeners) listener();
    } catch (error) {
      this.renewalError = this.redactor.redact((error as Error).message);
      this.schedule(RENEW_RETRY_MS);
    }
  }
}
