/**
 * `pipebench serve`'s HTTP server: node:http with keep-alive, one route table for the three
 * protocols, bounded bodies, metrics per request, and a close() that drains in-flight requests.
 * The target is the caller's: close() stops the server only, the caller closes the target after.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TargetUnavailableError, toError } from '../errors.js';
import { epochNowMs } from '../core/clock.js';
import type { InProcessTarget } from '../targets/inprocess/target.js';
import type { BatchingConfig } from '../targets/target.js';
import { HttpError } from './http-error.js';
import { readJsonBody, sendJson, sendText } from './http-io.js';
import { ModelService } from './model-service.js';
import { ServeMetrics } from './prometheus.js';
import { matchRoute, type Route } from './route.js';
import { betterPromptsRoutes } from './routes-betterprompts.js';
import { kserveRoutes } from './routes-kserve.js';
import { openAiRoutes } from './routes-openai.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** How long close() lets in-flight requests finish before cutting their connections. */
export const DRAIN_TIMEOUT_MS = 10_000;

export interface ServerOptions {
  readonly target: InProcessTarget;
  /** Applied to both lanes (classify and generate) before listening; the generation length is always set (max_tokens can only cap it). */
  readonly batching: BatchingConfig & { readonly maxNewTokens: number };
  readonly host?: string;
  /** 0: any free port. */
  readonly port: number;
  readonly maxBodyBytes?: number;
  /** Concurrent model requests beyond this get 503 with Retry-After: 1 (undefined: no limit). */
  readonly maxInFlight?: number;
  /** Slept before each model request is answered (a known, injected slowdown). */
  readonly addedLatencyMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The route patterns served (for the startup description). */
  readonly routes: readonly string[];
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  await options.target.configure('pipeline', options.batching);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // The gauge reads the service's admission, created just below (the closure runs only on scrape).
  const metrics: ServeMetrics = new ServeMetrics(
    (): number => service.admission.inFlight,
    () => options.batching.maxBatchSize,
  );
  const service: ModelService = new ModelService(options.target, metrics, {
    maxNewTokens: options.batching.maxNewTokens,
    ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
    ...(options.addedLatencyMs !== undefined && { addedLatencyMs: options.addedLatencyMs }),
  });
  const metricsRoute: Route = {
    method: 'GET',
    pattern: '/metrics',
    handle: ({ res }) => sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', metrics.render()),
  };
  const routes: readonly Route[] = [...betterPromptsRoutes, ...kserveRoutes, ...openAiRoutes, metricsRoute];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startMs = epochNowMs();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = matchRoute(routes, req.method ?? 'GET', path);
    const label = match.kind === 'none' ? 'unmatched' : match.kind === 'found' ? match.route.pattern : match.pattern;
    res.once('finish', () => {
      metrics.requests.inc({ route: label, status: String(res.statusCode) });
      metrics.duration.observe((epochNowMs() - startMs) / 1000, { route: label });
      // Draining: a keep-alive connection that just went idle would otherwise hold close() open.
      if (closing) server.closeIdleConnections();
    });
    try {
      if (match.kind === 'none') throw new HttpError(404, 'not found', `no route for ${req.method ?? ''} ${path}`);
      if (match.kind === 'wrong-method') {
        throw new HttpError(405, 'method not allowed', `${path} accepts ${match.allow.join(', ')}`, { allow: match.allow.join(', ') });
      }
      await match.route.handle({ req, res, params: match.params, service, body: () => readJsonBody(req, maxBodyBytes) });
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const httpError = error instanceof HttpError ? error : new HttpError(500, 'internal error', toError(error).message);
      // A 413 carries Connection: close: node ends the socket once the answer is out, unread body and all.
      sendJson(res, httpError.status, httpError.body, httpError.headers);
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new TargetUnavailableError(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port}: ${error.message}`)),
    );
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      // Idle keep-alive connections would hold close() open; busy ones close after their answer.
      server.closeIdleConnections();
    }));

  return { url: `http://${urlHost}:${port}`, port, routes: routes.map((r) => `${r.method} ${r.pattern}`), close };
}
