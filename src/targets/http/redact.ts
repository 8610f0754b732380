/**
 * Secrets (tokens, passwords, API keys, configured header values) must never reach a thrown
 * message, a warning or a result. The redactor knows every secret of a target and finds each in
 * any spelling a server may echo it in (secret-encodings.ts); every message built from server or
 * undici text goes through `excerpt`, which redacts the whole text first and only then shortens it.
 */
import { maskUrlCredentials } from '../../url-credentials.js';
import { base64Texts, ECHO_PATTERN_FLAGS, echoPattern } from './secret-encodings.js';

export const REDACTED = '<redacted>';

/** The longest excerpt of server text a message quotes. */
export const EXCERPT_MAX_CHARS = 200;
/** Of a longer text only this start is redacted for an excerpt (a 16 MiB body is not scanned whole). */
export const EXCERPT_SCAN_CHARS = 64 * 1024;

export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private readonly patterns: RegExp[] = [];
  private longestMatchChars = 0;

  /** Remember a secret and its base64 forms; empty values are ignored (they would match everywhere). */
  add(secret: string): void {
    if (secret.length === 0 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    for (const text of [secret, ...base64Texts(secret)]) {
      const pattern = echoPattern(text);
      this.patterns.push(new RegExp(pattern.source, ECHO_PATTERN_FLAGS));
      this.longestMatchChars = Math.max(this.longestMatchChars, pattern.maxChars);
    }
  }

  /**
   * Every spelling of every secret replaced by REDACTED, and user:password of any URL masked. Matches
   * are found per secret and merged, so two secrets that overlap (one a prefix of the other, or
   * sharing an edge) leave no piece of either showing.
   */
  redact(text: string): string {
    const ranges: [start: number, end: number][] = [];
    for (const pattern of this.patterns) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        ranges.push([match.index, match.index + match[0].length]);
        pattern.lastIndex = match.index + 1; // overlapping occurrences too ("aaaa" twice in "aaaaa")
      }
    }
    return maskUrlCredentials(ranges.length === 0 ? text : replaceRanges(text, ranges));
  }

  /**
   * What a message may quote of server or client text: redacted in full, then made one line and cut
   * to EXCERPT_MAX_CHARS. `truncated` says the text itself was cut at its end (a body kept only up
   * to a limit; a text over EXCERPT_SCAN_CHARS is cut here): a secret may straddle that cut and not
   * match, so the last characters any secret's spelling could span are dropped as well.
   */
  excerpt(text: string, truncated = false): string {
    const cut = truncated || text.length > EXCERPT_SCAN_CHARS;
    let shown = this.redact(text.length > EXCERPT_SCAN_CHARS ? text.slice(0, EXCERPT_SCAN_CHARS) : text);
    if (cut) shown = `${shown.slice(0, Math.max(0, shown.length - this.longestMatchChars))}...`;
    shown = shown.replace(/\s+/g, ' ').trim();
    return shown.length > EXCERPT_MAX_CHARS ? `${shown.slice(0, EXCERPT_MAX_CHARS)}...` : shown;
  }
}

/** `text` with each of the (possibly overlapping) ranges, merged, replaced by one REDACTED. */
function replaceRanges(text: string, ranges: [start: number, end: number][]): string {
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  let index = 0;
  while (index < ranges.length) {
    const [start] = ranges[index] as [number, number];
    let end = (ranges[index] as [number, number])[1];
    for (index += 1; index < ranges.length && (ranges[index] as [number, number])[0] <= end; index += 1) {
      end = Math.max(end, (ranges[index] as [number, number])[1]);
    }
    out += `${text.slice(at, start)}${REDACTED}`;
    at = end;
  }
  return out + text.slice(at);
}
