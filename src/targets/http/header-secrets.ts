/**
 * Which texts of a configured header value are secrets. Every value the user configured is a
 * candidate, whatever its header's name: `X-Auth-Token: "..."` is as secret as `Authorization`.
 * A server may echo a part rather than the whole, so the parts are secrets too: the credentials
 * after an auth scheme ("Bearer <token>"), user:password and the password inside Basic auth's
 * base64, and each cookie's value.
 */

/** Header names whose values are credentials however short they are. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|cookie)$/i;

/**
 * A literal value of another header shorter than this is a switch ("true", "1", "gzip"), not a
 * credential: masking it would garble every message that happens to contain it ("HTTP 401").
 */
export const MIN_SECRET_HEADER_CHARS = 6;

/**
 * @param fromEnv the value was read from an environment variable: kept out of the workload file
 *   on purpose, so a secret whatever its length
 */
export function headerSecrets(name: string, value: string, fromEnv: boolean): string[] {
  const always = fromEnv || CREDENTIAL_HEADER.test(name);
  if (!always && value.length < MIN_SECRET_HEADER_CHARS) return [];
  const parts = [...schemeCredentials(value), ...cookieValues(value)].filter((part) => part.length >= MIN_SECRET_HEADER_CHARS);
  return [value, ...new Set(parts)];
}

const SCHEME = /^[A-Za-z][\w.+-]*\s+(\S(?:.*\S)?)\s*$/s;

/** "Bearer abc" -> ["abc"]; "Basic <base64 of bob:pw>" -> [base64, "bob:pw", "pw"]. */
function schemeCredentials(value: string): string[] {
  const credentials = SCHEME.exec(value)?.[1];
  if (credentials === undefined) return [];
  const userPassword = decodedBasic(credentials);
  if (userPassword === null) return [credentials];
  return [credentials, userPassword, userPassword.slice(userPassword.indexOf(':') + 1)];
}

/** user:password when `text` is the base64 of one (what Basic auth sends), else null. */
function decodedBasic(text: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  const roundTrips = Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '');
  return roundTrips && decoded.includes(':') ? decoded : null;
}

/** "a=1; session=XYZ" -> ["1", "XYZ"] (only for values shaped like a cookie list). */
function cookieValues(value: string): string[] {
  const pairs = value
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  if (pairs.length === 0 || !pairs.every((pair) => /^[^=\s]+=/.test(pair))) return [];
  return pairs.map((pair) => pair.slice(pair.indexOf('=') + 1));
}
