/**
 * A single request outside the benchmark's pools (health check, login): its own short-lived
 * connection, one timeout for connect, headers and body, and the body kept as text.
 */
import { Client } from 'undici';
import { DeadlineSweep, sweepIntervalMs } from './deadlines.js';
import type { Decoded, ResponseDecoder } from './protocol.js';
import type { SecretRedactor } from './redact.js';
import { send, type SendOutcome } from './send.js';

/** Bodies of health and login responses are small; anything larger is not what we asked for. */
const ONE_SHOT_MAX_BYTES = 1024 * 1024;

export interface OneShotResult {
  readonly outcome: SendOutcome;
  /** The 2xx body as text ('' for failures). */
  readonly text: string;
}

export async function oneShot(
  url: URL,
  request: { readonly method: 'GET' | 'POST'; readonly headers: readonly string[]; readonly body: string | null },
  timeoutMs: number,
): Promise<OneShotResult> {
  const client = new Client(url.origin, { connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const collector = new TextCollector();
  const timeouts = { headersMs: timeoutMs, bodyMs: timeoutMs };
  const deadlines = new DeadlineSweep(sweepIntervalMs(timeouts));
  try {
    const limits = { maxResponseBytes: ONE_SHOT_MAX_BYTES, ...timeouts, deadlines, pipelined: false };
    const outcome = await send(client, { ...request, path: `${url.pathname}${url.search}` }, collector, limits);
    return { outcome, text: outcome.ok ? collector.text() : '' };
  } finally {
    deadlines.close();
    await client.destroy();
  }
}

class TextCollector implements ResponseDecoder {
  private readonly chunks: Buffer[] = [];

  onData(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  finish(): Decoded {
    return { ok: true, serverMs: null };
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * "connection refused", "timeout", "HTTP 503: ..." (redacted, then shortened), or for any other client
 * failure what the client hit ("ENOTFOUND: getaddrinfo ENOTFOUND host", a TLS error): the way messages
 * name a failed one-shot request.
 */
export function describeFailure(outcome: Extract<SendOutcome, { ok: false }>, redactor: SecretRedactor): string {
  if (outcome.statusCode !== null || outcome.errorClass === 'client_error')
    return redactor.excerpt(outcome.detail, outcome.detailTruncated);
  return outcome.errorClass.replace(/_/g, ' ');
}
