import { describe, expect, it } from 'vitest';
import { maskUrlCredentials, maskUrlValue } from '../src/url-credentials.js';

describe('maskUrlCredentials: user:password of every URL a message quotes', () => {
  it.each([
    ['a port out of range', 'got http://bob:pw@127.0.0.1:99999', 'got http://***@127.0.0.1:99999'],
    ['an unclosed IPv6 bracket', 'got "http://bob:pw@[::1"', 'got "http://***@[::1"'],
    ['a password with "/" and "?" written unencoded', 'GET http://bob:p/a?ss@host/x failed', 'GET http://***@host/x failed'],
    ['a token as the user name', 'cloning https://ghp_abc123@github.com/o/r', 'cloning https://***@github.com/o/r'],
    ['two URLs', 'from http://a:b@h1/ to http://c:d@h2/', 'from http://***@h1/ to http://***@h2/'],
  ])('%s', (_case, text, masked) => {
    expect(maskUrlCredentials(text)).toBe(masked);
  });

  it('leaves URLs without credentials and e-mail addresses alone', () => {
    const text = 'target http://127.0.0.1:8301/api is down; mail ops@example.com';
    expect(maskUrlCredentials(text)).toBe(text);
  });
});

describe('maskUrlValue: a value meant as one URL', () => {
  it.each([
    ['credentials', 'http://bob:pw@127.0.0.1:18080/h', 'http://***@127.0.0.1:18080/h'],
    ['a quote and a space in the password', 'http://bob:p"w d@host', 'http://***@host'],
    ['a scheme typo', 'http//bob:pw@host', '***@host'],
    ['no scheme', 'bob:pw@127.0.0.1:8080', '***@127.0.0.1:8080'],
    ['a query with a key', 'http://h:99999/x?api_key=K-123', 'http://h:99999/x?***'],
    ['both', 'https://u:p@h/x?token=T#frag', 'https://***@h/x?***'],
  ])('%s', (_case, value, masked) => {
    expect(maskUrlValue(value)).toBe(masked);
  });

  it('leaves a plain URL, a path and an e-mail address alone', () => {
    for (const value of ['http://127.0.0.1:8301/api', '/api/v1/health', 'ops@example.com']) expect(maskUrlValue(value)).toBe(value);
  });
});
