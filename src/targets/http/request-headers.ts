/**
 * The headers every request carries, resolved once: the workload's headers ({value} or {env}),
 * content-type, and the auth session's current authorization value. Every configured value (and
 * the parts of it a server may echo, header-secrets.ts) is registered as a secret.
 */
import { InputError } from '../../errors.js';
import type { HeaderValue } from '../../core/workload.js';
import { headerSecrets } from './header-secrets.js';
import type { SecretRedactor } from './redact.js';

/** Flat [name, value, ...] of the workload's headers, lower-cased names. */
export function resolveUserHeaders(
  headers: Readonly<Record<string, HeaderValue>>,
  env: NodeJS.ProcessEnv,
  redactor: SecretRedactor,
): string[] {
  const flat: string[] = [];
  for (const [name, spec] of Object.entries(headers)) {
    let value: string;
    if ('env' in spec) {
      const fromEnv = env[spec.env];
      if (fromEnv === undefined || fromEnv === '') {
        throw new InputError(`target.headers.${name}`, `environment variable ${spec.env} is not set (or empty)`);
      }
      value = fromEnv;
    } else {
      value = spec.value;
    }
    for (const secret of headerSecrets(name, value, 'env' in spec)) redactor.add(secret);
    flat.push(name.toLowerCase(), value);
  }
  return flat;
}

/** The array sent with every request: content-type (unless the user set one), the user's headers, then authorization (which wins). */
export function buildRequestHeaders(userHeaders: readonly string[], authorization: string | null): readonly string[] {
  const flat = userHeaders.some((value, i) => i % 2 === 0 && value === 'content-type') ? [] : ['content-type', 'application/json'];
  for (let i = 0; i < userHeaders.length; i += 2) {
    if (authorization !== null && userHeaders[i] === 'authorization') continue;
    flat.push(userHeaders[i] as string, userHeaders[i + 1] as string);
  }
  if (authorization !== null) flat.push('authorization', authorization);
  return flat;
}

/** A request's headers plus those its protocol added for this one request (names lower-cased as undici sends them). */
export function withExtraHeaders(base: readonly string[], extra: Readonly<Record<string, string>>): readonly string[] {
  const flat = base.slice();
  for (const [name, value] of Object.entries(extra)) flat.push(name.toLowerCase(), value);
  return flat;
}
