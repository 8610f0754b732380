/**
 * user:password in a URL is a secret wherever the URL is quoted: a flag's value, a workload field,
 * an error line (and a value's query string, where keys travel). Masking works on text, so a URL
 * that failed to parse is masked too.
 */

/** What the user:password part of a URL becomes in messages. */
export const MASKED_USERINFO = '***';

/**
 * A scheme, "//", then everything up to the last "@" before a space or quote: the user info. It may
 * hold "/", "?" or "#" when a password was written unencoded (such a URL does not parse, and its
 * message still quotes it), so the match runs to the last "@" rather than stopping at the host's end.
 */
const USERINFO_IN_TEXT = /([a-z][a-z0-9+.-]*:\/\/)[^\s"'<>`]*@/gi;

/** A value's scheme and "//", when it has them. */
const SCHEME_PREFIX = /^\s*[a-z][a-z0-9+.-]*:\/\//i;
/** A query string of a value given as a URL (keys travel there: ?api_key=...). */
const QUERY_IN_VALUE = /^(\s*[a-z][a-z0-9+.-]*:\/\/[^?#]*[?#])[\s\S]+$/i;

/** `... http://bob:pw@host/x ...` -> `... http://***@host/x ...`, for every URL in a message; other text is left as is. */
export function maskUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(USERINFO_IN_TEXT, `$1${MASKED_USERINFO}@`) : text;
}

/**
 * A value given as a URL (a flag, a workload field) as a message may quote it: everything before
 * its last "@" masked, whatever characters the password holds, when it has a scheme or the part
 * before the "@" looks like user:password (a typo such as "http//bob:pw@host" must not show "pw");
 * a query or fragment masked too. "alice@example.com" stays as it is.
 */
export function maskUrlValue(value: string): string {
  let shown = value;
  const at = value.lastIndexOf('@');
  if (at >= 0) {
    const scheme = SCHEME_PREFIX.exec(value)?.[0] ?? '';
    if (scheme !== '' || /[:/]/.test(value.slice(0, at))) shown = `${scheme}${MASKED_USERINFO}${value.slice(at)}`;
  }
  return shown.replace(QUERY_IN_VALUE, `$1${MASKED_USERINFO}`);
}

/** The URL as reports may show it: user and password removed, otherwise as written. */
export function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return url.endsWith('/') ? parsed.href : parsed.href.replace(/\/$/, '');
}
