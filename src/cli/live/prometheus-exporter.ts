/**
 * --prometheus-port: an HTTP server (127.0.0.1 by default) that serves the live run's metrics on
 * GET /metrics while the run goes, for Prometheus and Grafana. It listens to the run's events and
 * renders on each scrape, so a scrape costs the run nothing between scrapes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../../errors.js';
import { epochNowMs, type Clock } from '../../core/clock.js';
import type { RunListener } from '../../runner/events.js';
import { initialLiveState, reduceLiveState } from './live-state.js';
import { renderLiveMetrics } from './live-metrics.js';

const FLAG = '--prometheus-port';
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface LiveExporterOptions {
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** For pipebench_run_info{workload}; default "". */
  readonly workload?: string;
  readonly clock?: Clock;
}

export interface LiveExporter {
  readonly listener: RunListener;
  /** http://host:port/metrics, with the port actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

/** `[host:]port` as --prometheus-port takes it: "9464", "0.0.0.0:9464", "[::1]:9464". Host default 127.0.0.1. */
export function parsePrometheusAddress(value: string): { readonly host: string; readonly port: number } {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535)
    throw new InputError(FLAG, `expected [host:]port with a port from 0 to 65535 (e.g. 9464 or 0.0.0.0:9464), got "${value}"`);
  const host = match[1] === undefined ? '127.0.0.1' : match[1].replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

/** Throws InputError naming --prometheus-port when the address cannot be bound (in use, not local). */
export async function startLiveExporter(options: LiveExporterOptions): Promise<LiveExporter> {
  const clock = options.clock ?? epochNowMs;
  const info = { workload: options.workload ?? '' };
  let state = initialLiveState(clock());
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') return answer(response, 404, 'not found: the metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return answer(response, 405, 'method not allowed: use GET\n', { allow: 'GET, HEAD' });
    answer(response, 200, renderLiveMetrics(state, info), { 'content-type': CONTENT_TYPE }, request.method === 'HEAD');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options)));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | null = null;
  return {
    listener: (event) => {
      state = reduceLiveState(state, event, clock());
    },
    url: `http://${hostText}:${address.port}/metrics`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's keep-alive connection would hold close() open
      });
      return closed;
    },
  };
}

function answer(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}, headOnly = false): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  response.end(headOnly ? undefined : body);
}

function listenError(error: NodeJS.ErrnoException, options: LiveExporterOptions): InputError {
  const where = `${options.host}:${options.port}`;
  const why =
    error.code === 'EADDRINUSE'
      ? `${where} is already in use; pick another port (0 = any free one)`
      : error.code === 'EACCES'
        ? `not allowed to listen on ${where} (ports below 1024 need privileges)`
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
          ? `${options.host} is not an address of this machine`
          : `cannot listen on ${where}: ${error.message}`;
  return new InputError(FLAG, why, { cause: error });
}
