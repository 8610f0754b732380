/**
 * The HTTP target: items go to a service over its connection pools, one request per submit (or one per
 * static batch), in the shape its protocol defines. Failures are ok:false results with a class.
 *
 * Timing: t_write = a connection took the request (send.ts), t_response = last body byte.
 * queueMs = t_write - t_arrival, inferenceMs = t_response - t_write; with retries, t_write is the
 * first attempt's, so the item's latency includes every retry and wait.
 *
 * Retries: the workload's `retries` (429/503 honouring Retry-After, refused or reset connections),
 * plus one resend, whatever `retries` says, of a request that a reused keep-alive connection
 * dropped before a single response byte (the server closed it as we wrote; browsers and curl
 * resend too). Every resend is counted on the item (ItemResult.retries).
 *
 * Capabilities beyond Target: `setConnections(n)` sizes the pools for connections: "auto" (the
 * runner gives the plan's highest in-flight count before the first step; an explicit count ignores
 * it); `prepareLoad(stage, sends)` opens a step's connections before its clock starts.
 */
import { InputError, toError } from '../../errors.js';
import type { HttpTargetSpec, ProtocolName } from '../../core/workload.js';
import { type BatchingConfig, type StaticBatchTarget, type TargetInfo } from '../target.js';
import { type ItemResult } from '../../core/item-result.js';
import { STAGES, type Stage } from '../../core/stage.js';
import type { HealthAnswer } from '../../core/report/environment.js';
import { openAuth, readAuthCredentials, type AuthSession } from './auth.js';
import { isRetriable } from './classify-error.js';
import { DeadlineSweep, sweepIntervalMs } from './deadlines.js';
import type { HttpErrorClass } from './error-class.js';
import type { RequestDispatcher } from './connection-pool.js';
import { checkHealth } from './health.js';
import { OriginPools } from './pools.js';
import { InFlightGauge } from '../../metrics/in-flight.js';
import { checkBatchSize, type Protocol, type ProtocolConfig, type ProtocolRequest } from './protocol.js';
import { createProtocol } from './protocols/index.js';
import { SecretRedactor } from './redact.js';
import { buildRequestHeaders, resolveUserHeaders, withExtraHeaders } from './request-headers.js';
import { clientFailure, send, type SendLimits, type SendOutcome } from './send.js';
import { httpItemResult } from './item-result.js';
import { withoutCredentials } from '../../url-credentials.js';

export interface HttpTargetOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** A protocol object instead of the one spec.options names (for tests and embedding). */
  readonly protocol?: Protocol;
}

/** Longest wait a Retry-After may impose on one retry. */
export const RETRY_AFTER_CAP_MS = 10_000;

/** One item's exchange: the outcome that ended it, the first attempt's write, and the resends. */
interface Exchange {
  readonly last: SendOutcome;
  readonly firstWriteMs: number | null;
  readonly retries: number;
}

/** An item's request, built once for all its attempts, and where it goes. */
interface Prepared {
  readonly built: ProtocolRequest;
  readonly origin: string;
  readonly path: string;
}

interface StageRoute {
  readonly origin: string;
  /** The base URL's path without a trailing slash ('' for the origin root). */
  readonly prefix: string;
  /** Where a request whose protocol names no path goes: the base URL's path (or '/') and its query. */
  readonly rootPath: string;
}

export async function createHttpTarget(spec: HttpTargetSpec, options: HttpTargetOptions = {}): Promise<HttpTarget> {
  const env = options.env ?? process.env;
  const redactor = new SecretRedactor();
  // Everything read from the environment first: a missing variable is the user's to fix, and must
  // not hide behind a target that is down.
  const userHeaders = resolveUserHeaders(spec.headers, env, redactor);
  const credentials = readAuthCredentials(spec.auth, env, redactor);
  const protocol = options.protocol ?? createProtocol(spec.options);
  const shownUrl = withoutCredentials(spec.url);
  const health =
    spec.health.routes.length === 0
      ? null
      : await checkHealth(shownUrl, spec.health.routes, buildRequestHeaders(userHeaders, null), redactor);
  const auth = await openAuth(credentials, spec.url, redactor);
  return new HttpTarget(spec, protocol, auth, userHeaders, redactor, shownUrl, health);
}

export class HttpTarget implements StaticBatchTarget {
  readonly info: TargetInfo;
  /** A batch of b is one request carrying b texts. */
  readonly batchUnit = 'request';
  readonly backend = null;
  readonly models: readonly [] = [];
  /** Requests on the wire (capabilities.ts WireInFlight). */
  readonly wireInFlight = new InFlightGauge();
  private readonly pools: OriginPools;
  private readonly limits: SendLimits;
  private readonly routes: Readonly<Record<Stage, StageRoute>>;
  private readonly configs: Record<Stage, ProtocolConfig>;
  private headers: readonly string[];
  /** The first failure per class as it came (raw); redacted only when asked for, off the hot path. */
  private readonly firstFailures = new Map<HttpErrorClass, { readonly detail: string; readonly truncated: boolean }>();
  private readonly noticeCounts = new Map<string, number>();
  private readonly retryWaits = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly spec: HttpTargetSpec,
    private readonly protocol: Protocol,
    private readonly auth: AuthSession,
    private readonly userHeaders: readonly string[],
    private readonly redactor: SecretRedactor,
    shownUrl: string,
    /** Which health route answered the preflight; null when it was skipped. */
    health: HealthAnswer | null = null,
  ) {
    this.info = { kind: 'http', description: `HTTP ${protocol.name} ${shownUrl}`, url: shownUrl, protocol: protocol.name, health };
    this.pools = new OriginPools({
      connections: spec.connections === 'auto' ? null : spec.connections,
      pipelining: spec.pipelining,
      timeouts: spec.timeouts,
    });
    const { headersMs, bodyMs } = spec.timeouts;
    this.limits = {
      wire: this.wireInFlight,
      maxResponseBytes: spec.maxResponseBytes,
      headersMs,
      bodyMs,
      deadlines: new DeadlineSweep(sweepIntervalMs(spec.timeouts)),
      pipelined: spec.pipelining > 1,
    };
    const routes = {} as Record<Stage, StageRoute>;
    const configs = {} as Record<Stage, ProtocolConfig>;
    for (const stage of STAGES) {
      routes[stage] = routeFor(spec.endpoints[stage] ?? spec.url);
      // No length until configure() gives one: the server's default applies.
      configs[stage] = { maxNewTokens: null };
    }
    this.routes = routes;
    this.configs = configs;
    this.headers = buildRequestHeaders(userHeaders, auth.authorization);
    auth.onRenewed(() => {
      this.headers = buildRequestHeaders(this.userHeaders, this.auth.authorization);
    });
  }

  get protocolName(): ProtocolName {
    return this.protocol.name;
  }

  /** Connections per origin the pools open (after setConnections for "auto"). */
  get connections(): number {
    return this.pools.connections;
  }

  /**
   * The first detail line seen per error class, redacted, then shortened: what a warning can quote.
   * Built when asked for (after the steps), so redaction never runs inside a measured step.
   */
  get errorDetails(): ReadonlyMap<HttpErrorClass, string> {
    return new Map(
      [...this.firstFailures].map(([errorClass, { detail, truncated }]) => [errorClass, this.redactor.excerpt(detail, truncated)]),
    );
  }

  /** Each protocol notice seen (answers accepted despite a deviation), with how many responses carried it. */
  get notices(): ReadonlyMap<string, number> {
    return this.noticeCounts;
  }

  /** The auth session's login count and last renewal failure (login auth only). */
  get authState(): { readonly logins: number; readonly renewalError: string | null } {
    return { logins: this.auth.logins, renewalError: this.auth.renewalError };
  }

  /** For connections: "auto": the plan's highest in-flight count; ignored when the workload set a number. */
  async setConnections(connections: number): Promise<void> {
    if (this.spec.connections !== 'auto') return;
    if (!Number.isInteger(connections) || connections < 1) {
      throw new InputError('target.connections', `"auto" needs a positive in-flight count, got ${connections}`);
    }
    await this.pools.setConnections(connections);
  }

  /** Before a step's clock starts (capabilities.ts LoadPreparation): its connections open; sends nothing. */
  async prepareLoad(stage: Stage, sends: number): Promise<void> {
    if (this.closed) return;
    await this.pools.prepare(this.routes[stage].origin, sends);
  }

  async configure(stage: Stage, config: BatchingConfig): Promise<void> {
    checkBatchSize(this.protocol, stage, config.maxBatchSize);
    this.configs[stage] = { maxNewTokens: config.maxNewTokens };
  }

  async submit(stage: Stage, text: string, tArrivalMs: number): Promise<ItemResult> {
    const texts = [text];
    const prepared = this.prepare(stage, texts);
    if (!('built' in prepared)) return httpItemResult(this.noted(prepared), null, 0, tArrivalMs, 1);
    const outcome = await this.attempt(stage, texts, prepared, this.pools.get(prepared.origin));
    // Answered at the first attempt (nearly every item): one await, no exchange record.
    if (outcome.ok || this.closed) return httpItemResult(this.noted(outcome), outcome.tWriteMs, 0, tArrivalMs, 1);
    const { last, firstWriteMs, retries } = await this.resend(stage, texts, prepared, outcome);
    return httpItemResult(this.noted(last), firstWriteMs, retries, tArrivalMs, 1);
  }

  async submitBatch(stage: Stage, texts: readonly string[], tArrivalMs: number): Promise<ItemResult[]> {
    const prepared = this.prepare(stage, texts);
    const { last, firstWriteMs, retries } =
      'built' in prepared
        ? await this.resend(stage, texts, prepared, await this.attempt(stage, texts, prepared, this.pools.get(prepared.origin)))
        : { last: prepared, firstWriteMs: null, retries: 0 };
    const result = httpItemResult(this.noted(last), firstWriteMs, retries, tArrivalMs, texts.length);
    if (retries === 0) return texts.map(() => result);
    // The batch went out as one request: its resends count once, on the first item.
    const { retries: _counted, ...rest } = result;
    return texts.map((_, i) => (i === 0 ? result : rest));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.auth.close();
    for (const wake of this.retryWaits) wake();
    this.retryWaits.clear();
    this.limits.deadlines.close();
    await this.pools.close();
  }

  /** The item's request as its protocol builds it, and where it goes; a protocol that cannot build it fails the item (submit never rejects). */
  private prepare(stage: Stage, texts: readonly string[]): Prepared | SendOutcome {
    let built: ProtocolRequest;
    try {
      built = this.protocol.request(stage, texts, this.configs[stage]);
    } catch (error) {
      return clientFailure(`${this.protocol.name} request: ${toError(error).message}`);
    }
    const route = this.routes[stage];
    return { built, origin: route.origin, path: built.path === '' ? route.rootPath : `${route.prefix}${built.path}` };
  }

  /** One attempt of an item's request on `dispatcher`; never rejects. */
  private attempt(stage: Stage, texts: readonly string[], { built, path }: Prepared, dispatcher: RequestDispatcher): Promise<SendOutcome> {
    if (this.closed) return Promise.resolve(clientFailure('target closed'));
    const headers = built.headers === undefined ? this.headers : withExtraHeaders(this.headers, built.headers);
    return send(
      dispatcher,
      { method: built.method, path, headers, body: built.body },
      this.protocol.decoder(stage, texts.length),
      this.limits,
    );
  }

  /** After the first attempt's outcome: the resends it calls for (see the file comment), until one ends the item. */
  private async resend(stage: Stage, texts: readonly string[], prepared: Prepared, first: SendOutcome): Promise<Exchange> {
    let last = first;
    let firstWriteMs = first.tWriteMs;
    let retries = 0;
    let raceResent = false;
    for (let attempt = 0; ;) {
      if (last.ok || this.closed) return { last, firstWriteMs, retries };
      let dispatcher: RequestDispatcher;
      if (last.resendOn !== null && !raceResent) {
        // The keep-alive race: once, at once, on the same client (its next request opens a fresh connection).
        raceResent = true;
        dispatcher = last.resendOn;
      } else {
        if (attempt >= this.spec.retries || !isRetriable(last.errorClass, last.statusCode)) return { last, firstWriteMs, retries };
        await this.waitBeforeRetry(Math.min(last.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
        // Closed while waiting: the item ends with the failure it had.
        if (this.closed) return { last, firstWriteMs, retries };
        attempt++;
        dispatcher = this.pools.get(prepared.origin);
      }
      retries++;
      last = await this.attempt(stage, texts, prepared, dispatcher);
      firstWriteMs ??= last.tWriteMs;
    }
  }

  private waitBeforeRetry(delayMs: number): Promise<void> {
    if (delayMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.retryWaits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delayMs);
      this.retryWaits.add(wake);
    });
  }

  /** The outcome that ended an item, after noting its first failure per class or its protocol notice. */
  private noted(outcome: SendOutcome): SendOutcome {
    if (!outcome.ok) {
      if (!this.firstFailures.has(outcome.errorClass))
        this.firstFailures.set(outcome.errorClass, { detail: outcome.detail, truncated: outcome.detailTruncated });
    } else if (outcome.decoded.notice !== undefined) {
      this.noticeCounts.set(outcome.decoded.notice, (this.noticeCounts.get(outcome.decoded.notice) ?? 0) + 1);
    }
    return outcome;
  }
}

function routeFor(baseUrl: string): StageRoute {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, prefix, rootPath: `${prefix === '' ? '/' : prefix}${url.search}` };
}
