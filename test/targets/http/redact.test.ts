import { describe, expect, it } from 'vitest';
import { EXCERPT_MAX_CHARS, EXCERPT_SCAN_CHARS, REDACTED, SecretRedactor } from '../../../src/targets/http/redact.js';
import { base64Texts, echoPattern, MIN_BASE64_CHARS } from '../../../src/targets/http/secret-encodings.js';
import { leaksIn, spellingsOf } from '../../fixtures/http/secret-spellings.js';

function redactorOf(...secrets: string[]): SecretRedactor {
  const redactor = new SecretRedactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor;
}

// Quote, backslash, slash, space, ampersand, angle brackets, apostrophe, plus, percent, non-ASCII and an astral character.
const AWKWARD = `KEY\\with"quote /&<x>'+% é😀-7f3a`;

describe('SecretRedactor: every spelling a server may echo', () => {
  it.each(Object.entries(spellingsOf(AWKWARD)))('finds the secret written as %s', (_name, spelled) => {
    const text = `{"error":"unknown key ${spelled}","hint":"check the header"}`;
    const redacted = redactorOf(AWKWARD).redact(text);
    expect(redacted).toBe(`{"error":"unknown key ${REDACTED}","hint":"check the header"}`);
  });

  it('finds a plain token inside a longer base64 blob at each of the three byte offsets (Basic auth of user:password)', () => {
    const password = 'pw-9c1e77aa04';
    for (const user of ['bob', 'bobby', 'al']) {
      const basic = Buffer.from(`${user}:${password}`).toString('base64');
      const redacted = redactorOf(password).redact(`WWW-Authenticate failed for Basic ${basic}.`);
      // Only the characters that depend on the user's name may remain (at most 3 at the start, 2 at the end).
      expect(redacted).toMatch(new RegExp(`^WWW-Authenticate failed for Basic [A-Za-z0-9+/]{0,8}${REDACTED}[A-Za-z0-9+/=]{0,3}\\.$`));
      expect(leaksIn(redacted, password)).toEqual([]);
    }
  });

  it('keeps base64 texts long enough not to match unrelated text', () => {
    expect(base64Texts('ab')).toEqual([]);
    for (const text of base64Texts('a-longer-secret-value')) expect(text.length).toBeGreaterThanOrEqual(MIN_BASE64_CHARS);
  });

  it('leaves text without a secret as it was, and a look-alike that differs by one character', () => {
    const redactor = redactorOf(AWKWARD, 'tok-abc123def456');
    const text = 'HTTP 401: {"error": "tok-abc123def457 expired", "id": 42}';
    expect(redactor.redact(text)).toBe(text);
  });

  it("leaves no piece of two overlapping secrets (one a prefix of the other; one sharing the other's edge)", () => {
    const redactor = redactorOf('abc123', 'abc123xyz789', 'xyz789-and-more');
    expect(redactor.redact('a abc123xyz789 b')).toBe(`a ${REDACTED} b`);
    expect(redactor.redact('a abc123xyz789-and-more b')).toBe(`a ${REDACTED} b`);
    expect(redactorOf('aaaa').redact('xaaaaax')).toBe(`x${REDACTED}x`);
  });

  it('masks user:password of any URL in the text', () => {
    expect(redactorOf().redact('redirected to http://admin:s3cret@10.0.0.7/x')).toBe('redirected to http://***@10.0.0.7/x');
  });

  it('a pattern of letters and digits is the text itself; others allow for their longest spelling', () => {
    expect(echoPattern('abc123')).toEqual({ source: 'abc123', maxChars: 6 });
    expect(echoPattern('a"').maxChars).toBeGreaterThan(1 + spellingsOf('"')['json in html']!.length);
  });
});

describe('SecretRedactor.excerpt: redact the whole text, then cut', () => {
  it('a 330-character bearer token echoed in a 401 body leaves no piece of it, however the cut falls', () => {
    const token = Array.from({ length: 330 }, (_, i) => 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'[(i * 7919) % 56]).join(
      '',
    );
    const redactor = redactorOf(token);
    for (const lead of [0, 1, 35, 150, 199]) {
      const detail = `HTTP 401: ${'x'.repeat(lead)} invalid credentials: Bearer ${token} (expired)`;
      const shown = redactor.excerpt(detail);
      expect(shown.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS + 3);
      expect(leaksIn(shown, token, 8)).toEqual([]);
      if (lead < 100) expect(shown).toContain(`Bearer ${REDACTED}`);
    }
  });

  it('a body cut inside a secret (kept only up to a limit) shows no prefix of it', () => {
    const secret = 'sk-live-' + '0123456789abcdef'.repeat(4);
    const redactor = redactorOf(secret);
    for (const keep of [20, 30, 60]) {
      const cutBody = `HTTP 500: key ${secret}`.slice(0, 10 + keep);
      const shown = redactor.excerpt(cutBody, true);
      expect(leaksIn(shown, secret, 6)).toEqual([]);
      expect(shown.endsWith('...')).toBe(true);
    }
  });

  it('a cut inside a secret spelled as JSON inside HTML (the longest spellings) shows no piece of it', () => {
    const spelled = spellingsOf(AWKWARD)['json in html']!;
    const redactor = redactorOf(AWKWARD);
    for (let keep = 1; keep < spelled.length; keep += 3) {
      const cutBody = `HTTP 403: <p>key ${spelled.slice(0, keep)}`;
      const shown = redactor.excerpt(cutBody, true);
      expect(shown).not.toContain('KEY');
      // What shows is the start of the text (here nothing: the secret's longest spelling is longer than it), then "...".
      expect(shown.endsWith('...') && cutBody.startsWith(shown.slice(0, -3))).toBe(true);
    }
  });

  it('a text longer than the scan limit is redacted over its start and cut, never scanned whole', () => {
    const secret = 'tok-' + 'q'.repeat(40);
    const text = `HTTP 400: ${'y'.repeat(EXCERPT_SCAN_CHARS - 30)}${secret}${'z'.repeat(1000)}`;
    const shown = redactorOf(secret).excerpt(text);
    expect(shown.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS + 3);
    expect(leaksIn(shown, secret, 6)).toEqual([]);
  });

  it('whitespace is folded after redaction, so a secret holding spaces still matches', () => {
    const secret = 'pass  word\twith spaces';
    expect(redactorOf(secret).excerpt(`HTTP 401:\n  bad password "${secret}"\n`)).toBe(`HTTP 401: bad password "${REDACTED}"`);
  });

  it('short texts pass whole; long ones are cut with an ellipsis', () => {
    const redactor = redactorOf('unused-secret');
    expect(redactor.excerpt('HTTP 503: warming up')).toBe('HTTP 503: warming up');
    expect(redactor.excerpt(`HTTP 503: ${'w'.repeat(300)}`)).toBe(`HTTP 503: ${'w'.repeat(EXCERPT_MAX_CHARS - 10)}...`);
  });
});
