/**
 * Why an HTTP item failed, as one short stable class. Reports count items per class
 * (steps[].errors.byClass); these names are part of report.json's contract.
 */
export const HTTP_ERROR_CLASSES = [
  'http_4xx', // any 4xx except 429
  'http_429', // rate limited (Retry-After honoured when retries are on)
  'http_5xx',
  'timeout', // connect, headers or body timeout
  'connection_refused',
  'connection_reset', // reset, closed by the other side, socket error mid-request
  'malformed_body', // not the JSON (or SSE) the protocol expects
  'protocol_mismatch', // valid JSON of the wrong shape (e.g. 2 results for 3 texts, missing field)
  'stream_truncated', // a streamed response ended before its end marker
  'body_too_large', // response larger than the target's maxResponseBytes
  'client_error', // anything else the client raised (DNS failure, TLS, aborted)
] as const;

export type HttpErrorClass = (typeof HTTP_ERROR_CLASSES)[number];
