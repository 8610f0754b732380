import { describe, expect, it } from 'vitest';
import { classifyError, classifyStatus, describeClientError, isRetriable } from '../../../src/targets/http/classify-error.js';
import { SecretRedactor } from '../../../src/targets/http/redact.js';
import { parseRetryAfterMs } from '../../../src/targets/http/response-headers.js';

describe('classifyStatus / classifyError', () => {
  it('maps statuses', () => {
    expect([200, 204, 429, 404, 400, 500, 503, 302].map(classifyStatus)).toEqual([
      null,
      null,
      'http_429',
      'http_4xx',
      'http_4xx',
      'http_5xx',
      'http_5xx',
      'http_4xx',
    ]);
  });

  it('maps undici and Node error codes', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    expect(classifyError(withCode('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(classifyError(withCode('UND_ERR_BODY_TIMEOUT'))).toBe('timeout');
    expect(classifyError(withCode('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout');
    expect(classifyError(withCode('ECONNREFUSED'))).toBe('connection_refused');
    expect(classifyError(withCode('UND_ERR_SOCKET'))).toBe('connection_reset');
    expect(classifyError(new AggregateError([withCode('ECONNREFUSED')]))).toBe('connection_refused');
    expect(classifyError(withCode('ENOTFOUND'))).toBe('client_error');
    expect(classifyError('a string')).toBe('client_error');
  });

  it('retries only 429, 503 and connection failures', () => {
    expect(isRetriable('http_429', 429)).toBe(true);
    expect(isRetriable('http_5xx', 503)).toBe(true);
    expect(isRetriable('http_5xx', 500)).toBe(false);
    expect(isRetriable('connection_reset', null)).toBe(true);
    expect(isRetriable('timeout', null)).toBe(false);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs(undefined)).toBeNull();
    expect(parseRetryAfterMs('soon')).toBeNull();
    const inFive = new Date(Date.now() + 5000).toUTCString();
    expect(parseRetryAfterMs(inFive)).toBeGreaterThan(3000);
  });
});

describe('describeClientError', () => {
  const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('keeps the code and a DNS failure names the host', () => {
    expect(describeClientError(withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.invalid'))).toBe(
      'ENOTFOUND: getaddrinfo ENOTFOUND api.example.invalid',
    );
  });

  it("keeps only OpenSSL's reason, on one line, and says what a wrong version number from a plain-HTTP port means", () => {
    const tls = withCode(
      'ERR_SSL_WRONG_VERSION_NUMBER',
      '80ACAAF13D7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
    );
    expect(describeClientError(tls)).toBe(
      'ERR_SSL_WRONG_VERSION_NUMBER: wrong version number (an https:// URL to a port that speaks plain HTTP? use http://)',
    );
    const expired = withCode('CERT_HAS_EXPIRED', 'certificate has expired');
    expect(describeClientError(expired)).toBe('CERT_HAS_EXPIRED: certificate has expired');
  });

  it('describes the first failure inside an aggregate error (happy-eyeballs connects)', () => {
    expect(describeClientError(new AggregateError([withCode('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:80')]))).toBe(
      'EHOSTUNREACH: connect EHOSTUNREACH 10.0.0.1:80',
    );
    expect(describeClientError(new Error('socket hang\n up'))).toBe('socket hang up');
  });
});

describe('SecretRedactor', () => {
  it('replaces every occurrence of every secret and ignores empty ones', () => {
    const redactor = new SecretRedactor();
    redactor.add('s3cret');
    redactor.add('');
    redactor.add('tok');
    expect(redactor.redact('a s3cret and s3cret, tok!')).toBe('a <redacted> and <redacted>, <redacted>!');
    expect(redactor.redact('nothing here')).toBe('nothing here');
  });
});
