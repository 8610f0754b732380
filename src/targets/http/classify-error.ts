/**
 * Maps what went wrong with one request to its stable HttpErrorClass: a response status, or an
 * error raised by undici or Node's sockets.
 */
import type { HttpErrorClass } from './error-class.js';

/** The class of a non-2xx status; null for 2xx (a success, handed to the protocol's decoder). */
export function classifyStatus(statusCode: number): HttpErrorClass | null {
  if (statusCode >= 200 && statusCode < 300) return null;
  if (statusCode === 429) return 'http_429';
  if (statusCode >= 500) return 'http_5xx';
  // 1xx never reaches here (undici handles them); 3xx is not followed, so it is a client-side 4xx-like fault.
  return 'http_4xx';
}

const CLASS_BY_CODE: Readonly<Record<string, HttpErrorClass>> = {
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset', // "other side closed" and other socket failures mid-request
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'connection_reset',
};

export function classifyError(error: unknown): HttpErrorClass {
  const code = errorCode(error);
  if (code !== undefined) {
    const byCode = CLASS_BY_CODE[code];
    if (byCode !== undefined) return byCode;
  }
  // Aggregate errors (happy-eyeballs connects) carry the per-address failures inside.
  if (error instanceof AggregateError && error.errors.length > 0) return classifyError(error.errors[0]);
  return 'client_error';
}

/** Retrying can help for these (when the workload asks for retries). */
export function isRetriable(errorClass: HttpErrorClass, statusCode: number | null): boolean {
  return statusCode === 429 || statusCode === 503 || errorClass === 'connection_refused' || errorClass === 'connection_reset';
}

/** TLS errors that mean the port answered in plain HTTP: the URL says https:// where it should say http://. */
const PLAIN_HTTP_TLS_CODES: ReadonlySet<string> = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
]);

/**
 * One line that says what the client hit: "ENOTFOUND: getaddrinfo ENOTFOUND api.example.invalid",
 * "ERR_SSL_WRONG_VERSION_NUMBER: wrong version number (...)". OpenSSL's messages carry a thread id,
 * library and source file around the reason; only the reason is kept.
 */
export function describeClientError(error: Error): string {
  // Aggregate errors (happy-eyeballs connects) carry the per-address failures inside.
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return describeClientError(error.errors[0]);
  const code = errorCode(error);
  const reason = /:error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+):/.exec(error.message)?.[1] ?? error.message;
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  const hint =
    code !== undefined && PLAIN_HTTP_TLS_CODES.has(code) ? ' (an https:// URL to a port that speaks plain HTTP? use http://)' : '';
  return `${code === undefined ? '' : `${code}: `}${oneLine}${hint}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
