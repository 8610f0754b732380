import { describe, expect, it } from 'vitest';
import { headerSecrets, MIN_SECRET_HEADER_CHARS } from '../../../src/targets/http/header-secrets.js';

describe('headerSecrets: what of a configured header value is secret', () => {
  it('any header name: a literal X-Auth-Token is as secret as Authorization', () => {
    expect(headerSecrets('X-Auth-Token', 'tok-5f1c9a7e', false)).toEqual(['tok-5f1c9a7e']);
    expect(headerSecrets('X-Custom', 'whatever-value', false)).toEqual(['whatever-value']);
  });

  it('the credentials after an auth scheme, which a server may echo alone', () => {
    expect(headerSecrets('Authorization', 'Bearer eyJhbGciOi.abc', false)).toEqual(['Bearer eyJhbGciOi.abc', 'eyJhbGciOi.abc']);
  });

  it('Basic auth: the base64, user:password inside it, and the password', () => {
    const basic = Buffer.from('bob:Pa"ss\\word').toString('base64');
    expect(headerSecrets('Authorization', `Basic ${basic}`, false)).toEqual([`Basic ${basic}`, basic, 'bob:Pa"ss\\word', 'Pa"ss\\word']);
  });

  it("each cookie's value", () => {
    expect(headerSecrets('Cookie', 'theme=dark; session=s3ss10n-7781', false)).toEqual([
      'theme=dark; session=s3ss10n-7781',
      's3ss10n-7781',
    ]);
  });

  it(`short literal values of other headers are switches, not secrets (under ${MIN_SECRET_HEADER_CHARS} characters)`, () => {
    expect(headerSecrets('X-Test-Mode', 'true', false)).toEqual([]);
    expect(headerSecrets('X-Tier', '1', false)).toEqual([]);
  });

  it('a short value is still secret from the environment or under a credential name', () => {
    expect(headerSecrets('X-Pin', '4711', true)).toEqual(['4711']);
    expect(headerSecrets('X-Api-Key', 'k1', false)).toEqual(['k1']);
  });
});
