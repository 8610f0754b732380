/**
 * A protocol turns texts into one HTTP request for a stage and reads the response back. The HTTP
 * target (target.ts) owns connections, timing, status codes, retries and auth; a protocol only
 * knows shapes. Each protocol is one module in protocols/ and is registered in protocols/index.ts.
 *
 * Hot path rules: `request` runs once per send and should be a few string concatenations;
 * `decoder` is fed body chunks as they arrive (streaming protocols stamp tokens there).
 */
import { InputError } from '../../errors.js';
import type { Stage } from '../../core/stage.js';
import type { ProtocolName, ProtocolOptions } from '../../core/workload.js';
import type { HttpErrorClass } from './error-class.js';

/** The request for one send; the target adds auth and user headers and resolves the path. */
export interface ProtocolRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /**
   * Path (with query) relative to the stage's base URL, e.g. "/api/v1/intents/classify"; the target
   * joins it to the base URL's path ("" = the base URL itself is the endpoint).
   */
  readonly path: string;
  /** Already serialised. */
  readonly body: string;
  /** Extra headers besides content-type: application/json, which the target always sends. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a successful response said, for all of its `items` texts at once. */
export interface DecodedOk {
  readonly ok: true;
  /** Server-reported processing time for the whole request, in ms; null when it reports none. */
  readonly serverMs: number | null;
  /** Streaming only: epoch ms at which the first token arrived, and the mean gap between tokens. */
  readonly firstTokenAtMs?: number;
  readonly itlMs?: number;
  /** Generated tokens per item, when the protocol can tell. */
  readonly outputTokens?: number;
  /** Characters of generated text received per item (mean over the request's texts), when the protocol can tell. */
  readonly outputChars?: number;
  /**
   * Set when the answer was accepted despite a deviation from the protocol worth one warning per run
   * (e.g. a stream that ended with [DONE] but no finish_reason). A fixed sentence, never per-item detail:
   * the target counts responses per notice.
   */
  readonly notice?: string;
}

export interface DecodedError {
  readonly ok: false;
  readonly errorClass: Extract<HttpErrorClass, 'malformed_body' | 'protocol_mismatch' | 'stream_truncated'>;
  /**
   * What went wrong, quoting server text whole where it helps (never cut: a cut secret would no
   * longer match); the target redacts it, then shortens it to one line (SecretRedactor.excerpt).
   */
  readonly detail: string;
}

export type Decoded = DecodedOk | DecodedError;

/** Reads one 2xx response body. Non-2xx responses never reach a decoder. */
export interface ResponseDecoder {
  /** A body chunk as it arrived, with its arrival stamp (epoch ms). */
  onData(chunk: Buffer, atMs: number): void;
  /** The body is complete. */
  finish(atMs: number): Decoded;
}

export interface ProtocolConfig {
  /**
   * Generation length (maps to max_tokens and the like); null = the user set none, so the request
   * carries no such field and the server's own default applies.
   */
  readonly maxNewTokens: number | null;
}

export interface Protocol {
  readonly name: ProtocolName;
  /**
   * The largest number of texts one request may carry for this stage (1 = no batch form).
   * Every step's batch size is checked against it (checkBatchSize) before the run starts.
   */
  maxItemsPerRequest(stage: Stage): number;
  /** Build one request of `texts.length` texts (never more than maxItemsPerRequest). */
  request(stage: Stage, texts: readonly string[], config: ProtocolConfig): ProtocolRequest;
  /** A fresh decoder for one response to a request of `items` texts. */
  decoder(stage: Stage, items: number): ResponseDecoder;
}

/** Builds a protocol from its resolved options (protocols/index.ts maps names to factories). */
export type ProtocolFactory<P extends ProtocolName = ProtocolName> = (options: Extract<ProtocolOptions, { protocol: P }>) => Protocol;

/**
 * Refuses a batch size the protocol cannot send in one request of the stage, naming the workload
 * field: checked for the whole plan before anything starts (runner/run-inputs.ts), and again by
 * the target for each step it is configured for.
 */
export function checkBatchSize(protocol: Pick<Protocol, 'name' | 'maxItemsPerRequest'>, stage: Stage, batchSize: number): void {
  const limit = protocol.maxItemsPerRequest(stage);
  if (batchSize <= limit) return;
  throw new InputError(
    `stages[${stage}].batchSizes`,
    `batch size ${batchSize} is more than the ${protocol.name} protocol can send in one ${stage} request (at most ${limit})`,
  );
}
