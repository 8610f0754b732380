/**
 * One request on a connection (ConnectionPool, or one undici Client) through `dispatch()` and a lean handler (no streams, no promise
 * chains per chunk): stamps t_write when the request leaves undici's queue for a socket, feeds a
 * 2xx body to the protocol's decoder, enforces the body size limit and the request's deadlines,
 * and maps failures to classes.
 *
 * undici 7 calls `onConnect` from the client's write path (client-h1 `writeH1`), i.e. when a
 * connection takes the request, not when it is queued in the pool.
 */
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { epochNowMs } from '../../core/clock.js';
import { classifyError, classifyStatus, describeClientError } from './classify-error.js';
import type { InFlightGauge } from '../../metrics/in-flight.js';
import type { DeadlineSweep, Expirable } from './deadlines.js';
import type { HttpErrorClass } from './error-class.js';
import type { DecodedOk, ResponseDecoder } from './protocol.js';
import type { RequestDispatcher } from './connection-pool.js';
import type { ConnectionTaker, TrackedClient } from './tracked-client.js';
import { parseRetryAfterMs, rawHeader } from './response-headers.js';

export interface SendRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** Flat [name, value, name, value, ...] as undici takes them. */
  readonly headers: readonly string[];
  readonly body: string | null;
}

/** What bounds one request, and what counts it; built once per target, not per request. */
export interface SendLimits {
  /** Counts the request on the wire from its write to its end (absent: not counted). */
  readonly wire?: InFlightGauge;
  readonly maxResponseBytes: number;
  /** The response headers must arrive within this of the request being written. */
  readonly headersMs: number;
  /** The whole body must arrive within this of its headers (not only each gap between chunks). */
  readonly bodyMs: number;
  /** Expires requests past their deadline (one timer for every request in flight). */
  readonly deadlines: DeadlineSweep;
  /**
   * target.pipelining above 1: requests may go out back to back on a connection. undici writes a
   * POST (not idempotent) or any request it deems blocking only once the answer before it is in,
   * so without saying so a pipelining depth stacks requests in series instead.
   */
  readonly pipelined: boolean;
}

export type SendOutcome =
  | {
      readonly ok: true;
      /** When a connection took the request (epoch ms). */
      readonly tWriteMs: number;
      /** Last body byte (epoch ms). */
      readonly tResponseMs: number;
      readonly decoded: DecodedOk;
    }
  | {
      readonly ok: false;
      readonly errorClass: HttpErrorClass;
      /** null when the request never reached a connection (refused, connect timeout). */
      readonly tWriteMs: number | null;
      readonly tResponseMs: number;
      readonly statusCode: number | null;
      /** Retry-After in ms when the response carried one. */
      readonly retryAfterMs: number | null;
      /**
       * The status and the body as received, or the client error: raw server text, not yet
       * redacted nor shortened (SecretRedactor.excerpt does both, in that order).
       */
      readonly detail: string;
      /** The body at the end of `detail` was cut at ERROR_BODY_KEEP_BYTES. */
      readonly detailTruncated: boolean;
      /**
       * Set when the request was written on a reused keep-alive connection and the connection
       * closed before a single response byte came back (the server closed it as we wrote): the
       * client it was on, whose next request goes out on a fresh connection. null otherwise.
       */
      readonly resendOn: Dispatcher | null;
    };

/**
 * Kept of a non-2xx body for the detail line: far more than the 200 characters a message quotes,
 * so the redactor sees a secret whole before the excerpt is cut (a token cut first would no longer
 * match), yet little to decode per failed request.
 */
export const ERROR_BODY_KEEP_BYTES = 16 * 1024;

/** What lets undici pipeline a request behind another on one connection (see SendLimits.pipelined). */
const BACK_TO_BACK = { blocking: false, idempotent: true } as const;

class BodyTooLargeError extends Error {}
class DeadlineExceededError extends Error {}

/** Sends one request; never rejects. `decoder` is null for requests whose body is only checked for size. */
export function send(
  dispatcher: RequestDispatcher,
  request: SendRequest,
  decoder: ResponseDecoder | null,
  limits: SendLimits,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const handler = new SendHandler(decoder, limits, resolve);
    try {
      const options = { path: request.path, method: request.method, headers: request.headers as string[], body: request.body };
      dispatcher.dispatch(limits.pipelined ? { ...options, ...BACK_TO_BACK } : options, handler);
    } catch (error) {
      handler.onError(error as Error);
    }
  });
}

/**
 * undici 7's core speaks this (deprecated-in-types) callback interface natively; a handler written
 * to the newer onRequestStart/onResponse* interface is adapted per request, which parses every
 * response's headers into an object and allocates a controller. On the hot path that adapter cost
 * more than the rest of our per-request work, so the handler speaks the native interface and reads
 * the one header it needs (Retry-After) from the raw list, and only on a non-2xx answer.
 */
class SendHandler implements Dispatcher.DispatchHandler, Expirable, ConnectionTaker {
  /** Epoch ms by which the headers (then the whole body) must have arrived; Infinity until written. */
  deadlineMs = Number.POSITIVE_INFINITY;
  private tWriteMs: number | null = null;
  private statusCode = 0;
  private errorClass: HttpErrorClass | null = null;
  private retryAfterMs: number | null = null;
  private receivedBytes = 0;
  /** A non-2xx body's start; made on the first such chunk (most requests never need it). */
  private errorBody: Buffer[] | null = null;
  private errorBodyBytes = 0;
  private errorBodyTruncated = false;
  private done = false;
  private abort: ((error?: Error) => void) | null = null;
  /** The pool connection that took the request (null on a plain Client, e.g. one-shot requests). */
  private client: TrackedClient | null = null;
  private socket: Socket | null = null;
  /** Whether the connection had carried a request before this one, and what it had read by then. */
  private reused = false;
  private bytesReadAtWrite = 0;

  constructor(
    private readonly decoder: ResponseDecoder | null,
    private readonly limits: SendLimits,
    private readonly resolve: (outcome: SendOutcome) => void,
  ) {}

  takenBy(client: TrackedClient): void {
    this.client = client;
  }

  onConnect(abort: (error?: Error) => void): void {
    // Fires when a connection takes the request; again if undici re-sends it from a failed pipeline: the last write counts.
    const written = this.tWriteMs !== null;
    this.tWriteMs = epochNowMs();
    if (!written) this.limits.wire?.up(this.tWriteMs);
    this.abort = abort;
    this.deadlineMs = this.tWriteMs + this.limits.headersMs;
    this.limits.deadlines.track(this);
    const client = this.client;
    if (client === null) return;
    const { connection } = client;
    this.socket = connection.socket;
    this.reused = connection.writes++ > 0;
    if (this.reused && this.socket !== null) this.bytesReadAtWrite = this.socket.bytesRead;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.deadlineMs = epochNowMs() + this.limits.bodyMs;
    this.statusCode = statusCode;
    this.errorClass = classifyStatus(statusCode);
    if (this.errorClass !== null) this.retryAfterMs = parseRetryAfterMs(rawHeader(rawHeaders, 'retry-after'));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.errorClass !== null) {
      // A non-2xx body is discarded; only its start is kept (as bytes: a chunk may end inside a character).
      const room = ERROR_BODY_KEEP_BYTES - this.errorBodyBytes;
      if (chunk.length > room) this.errorBodyTruncated = true;
      if (room > 0) {
        const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
        (this.errorBody ??= []).push(kept);
        this.errorBodyBytes += kept.length;
      }
      return true;
    }
    this.receivedBytes += chunk.length;
    if (this.receivedBytes > this.limits.maxResponseBytes) {
      this.errorClass = 'body_too_large';
      this.abort?.(new BodyTooLargeError(`response body exceeds ${this.limits.maxResponseBytes} bytes`));
      return false;
    }
    this.decoder?.onData(chunk, epochNowMs());
    return true;
  }

  onComplete(): void {
    const tResponseMs = epochNowMs();
    const tWriteMs = this.tWriteMs ?? tResponseMs;
    if (this.errorClass !== null) {
      const kept = this.errorBody ?? [];
      const body = (kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept)).toString('utf8');
      this.fail(
        this.errorClass,
        tResponseMs,
        body.trim() === '' ? `HTTP ${this.statusCode}` : `HTTP ${this.statusCode}: ${body}`,
        this.errorBodyTruncated,
      );
      return;
    }
    const decoded = this.decoder === null ? ({ ok: true, serverMs: null } as const) : this.decoder.finish(tResponseMs);
    if (decoded.ok) {
      this.settle({ ok: true, tWriteMs, tResponseMs, decoded });
    } else {
      this.fail(decoded.errorClass, tResponseMs, decoded.detail);
    }
  }

  onError(error: Error): void {
    const tResponseMs = epochNowMs();
    if (this.errorClass === 'body_too_large' || error instanceof BodyTooLargeError) {
      this.fail('body_too_large', tResponseMs, error.message);
      return;
    }
    if (error instanceof DeadlineExceededError) {
      this.fail('timeout', tResponseMs, error.message);
      return;
    }
    const errorClass = classifyError(error);
    const resendOn = errorClass === 'connection_reset' && this.closedBeforeAnswering() ? this.client : null;
    this.fail(errorClass, tResponseMs, describeClientError(error), false, resendOn);
  }

  /** Past its deadline (the sweep calls this once): abort, which fails the request as a timeout. */
  expire(): void {
    if (this.done) return;
    const message =
      this.statusCode === 0
        ? `no response headers within ${this.limits.headersMs} ms of sending the request`
        : `response body not complete within ${this.limits.bodyMs} ms of its headers`;
    this.abort?.(new DeadlineExceededError(message));
  }

  /**
   * The keep-alive race: written on a connection that had carried a request before, and not one
   * byte read since (no status line, not even part of one). With pipelining, a request written
   * while an earlier answer was still arriving does not qualify: its bytes cannot be told apart.
   */
  private closedBeforeAnswering(): boolean {
    return this.reused && this.statusCode === 0 && this.socket !== null && this.socket.bytesRead === this.bytesReadAtWrite;
  }

  private fail(
    errorClass: HttpErrorClass,
    tResponseMs: number,
    detail: string,
    detailTruncated = false,
    resendOn: Dispatcher | null = null,
  ): void {
    this.settle({
      ok: false,
      errorClass,
      tWriteMs: this.tWriteMs,
      tResponseMs,
      statusCode: this.statusCode === 0 ? null : this.statusCode,
      retryAfterMs: this.retryAfterMs,
      detail,
      detailTruncated,
      resendOn,
    });
  }

  private settle(outcome: SendOutcome): void {
    if (this.done) return;
    this.done = true;
    if (this.tWriteMs !== null) this.limits.wire?.down(outcome.tResponseMs);
    this.limits.deadlines.untrack(this);
    // Its slot goes back before the caller sends again (in this turn: connection-pool.ts).
    this.client?.released();
    this.resolve(outcome);
  }
}

/** A request that never went out (the client refused it): no write, no status. */
export function clientFailure(detail: string): SendOutcome {
  const tResponseMs = epochNowMs();
  return {
    ok: false,
    errorClass: 'client_error',
    tWriteMs: null,
    tResponseMs,
    statusCode: null,
    retryAfterMs: null,
    detail,
    detailTruncated: false,
    resendOn: null,
  };
}
