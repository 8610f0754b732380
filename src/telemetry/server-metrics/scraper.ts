/**
 * Scrapes one metrics URL on a timer, on its own undici pool (one connection), so a scrape never
 * waits behind the load's requests and the load never waits behind a scrape. Each scrape is
 * bounded in time and bytes; a fault (an error status, HTML, a page too large, a hang, a server
 * gone) costs one warning per kind and URL, and the timer keeps trying in case it comes back.
 */
import { Pool } from 'undici';
import { epochNowMs, type Clock } from '../../core/clock.js';
import { maskUrlCredentials, maskUrlValue } from '../../url-credentials.js';
import { ScrapeStore } from './scrape-store.js';

export const SCRAPE_DEFAULTS = {
  intervalMs: 250,
  /** Longest a scrape may take, connect to last byte; a hung server costs one of these per tick, never the load. */
  timeoutMs: 2000,
  /** Largest page read (a 20 MB page is refused, not read into the scraping worker's memory). */
  maxBytes: 8 * 1024 * 1024,
} as const;

export type ScrapeFault = 'status' | 'html' | 'too-large' | 'timeout' | 'unreachable' | 'not-prometheus';

export type ScrapeOutcome =
  { readonly kind: 'ok'; readonly samples: number } | { readonly kind: 'fault'; readonly fault: ScrapeFault; readonly detail: string };

export interface ScrapeCost {
  readonly scrapes: number;
  readonly failures: number;
  readonly bytes: number;
  /** Parsing and storing (wall ms, on the scraping thread). */
  readonly parseMs: number;
}

export interface ScraperOptions {
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly clock?: Clock;
  /** Called once per fault kind (the message names the URL with its credentials masked). */
  readonly onFault?: (message: string) => void;
}

const ACCEPT = 'text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1';

export class EndpointScraper {
  readonly store = new ScrapeStore();
  /** The URL as messages and reports show it: credentials and query masked. */
  readonly shownUrl: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly authorization: string | null;
  readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly clock: Clock;
  private readonly warned = new Set<ScrapeFault>();
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<ScrapeOutcome> | null = null;
  private stopped = false;
  private cost = { scrapes: 0, failures: 0, bytes: 0, parseMs: 0 };

  constructor(
    url: string,
    private readonly options: ScraperOptions = {},
  ) {
    const parsed = new URL(url);
    this.shownUrl = maskUrlValue(url);
    this.path = `${parsed.pathname}${parsed.search}`;
    this.authorization =
      parsed.username === '' && parsed.password === ''
        ? null
        : `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    this.intervalMs = options.intervalMs ?? SCRAPE_DEFAULTS.intervalMs;
    this.timeoutMs = options.timeoutMs ?? Math.min(SCRAPE_DEFAULTS.timeoutMs, Math.max(1000, 4 * this.intervalMs));
    this.maxBytes = options.maxBytes ?? SCRAPE_DEFAULTS.maxBytes;
    this.clock = options.clock ?? epochNowMs;
    this.pool = new Pool(parsed.origin, {
      connections: 1,
      pipelining: 1,
      connectTimeout: this.timeoutMs,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  /** Scrapes now and then every interval until stop(); a tick that finds a scrape still running skips. */
  start(): void {
    if (this.timer !== null || this.stopped) return;
    void this.scrapeNow();
    this.timer = setInterval(() => {
      if (this.current === null) void this.scrapeNow();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One scrape (after the one in flight, if any): a step's end reads a fresh page. */
  async scrapeNow(): Promise<ScrapeOutcome> {
    if (this.current !== null) await this.current;
    if (this.stopped) return { kind: 'fault', fault: 'unreachable', detail: 'stopped' };
    const run = this.scrapeOnce().then((outcome) => {
      if (outcome.kind === 'fault') this.fault(outcome);
      return outcome;
    });
    this.current = run;
    try {
      return await run;
    } finally {
      if (this.current === run) this.current = null;
    }
  }

  costSoFar(): ScrapeCost {
    return { ...this.cost };
  }

  async stop(): Promise<ScrapeCost> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.current?.catch(() => undefined);
    await this.pool.destroy().catch(() => undefined);
    return { ...this.cost };
  }

  private fault(outcome: Extract<ScrapeOutcome, { kind: 'fault' }>): void {
    this.cost.failures += 1;
    if (this.warned.has(outcome.fault)) return;
    this.warned.add(outcome.fault);
    this.options.onFault?.(
      maskUrlCredentials(
        `server metrics ${this.shownUrl}: ${outcome.detail}; the load went on, and steps without scrapes have no server figures from this URL`,
      ),
    );
  }

  private async scrapeOnce(): Promise<ScrapeOutcome> {
    const sentAtMs = this.clock();
    const signal = AbortSignal.timeout(this.timeoutMs);
    let text: string;
    try {
      const response = await this.pool.request({
        path: this.path,
        method: 'GET',
        signal,
        headers: { accept: ACCEPT, ...(this.authorization !== null && { authorization: this.authorization }) },
      });
      const atMs = (sentAtMs + this.clock()) / 2;
      const contentType = String(response.headers['content-type'] ?? '');
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump().catch(() => undefined);
        return { kind: 'fault', fault: 'status', detail: `answered HTTP ${response.statusCode}` };
      }
      if (/html/i.test(contentType)) {
        await response.body.dump().catch(() => undefined);
        return { kind: 'fault', fault: 'html', detail: `answered ${contentType.split(';')[0]}, not Prometheus text` };
      }
      const body = await readBounded(response.body, this.maxBytes);
      if (body === null)
        return { kind: 'fault', fault: 'too-large', detail: `page larger than ${Math.round(this.maxBytes / (1024 * 1024))} MiB, not read` };
      this.cost.bytes += body.length;
      text = body.toString('utf8');
      return this.ingest(text, atMs);
    } catch (error) {
      const err = error as { name?: string; code?: string; message?: string };
      if (
        signal.aborted ||
        err.name === 'TimeoutError' ||
        err.code === 'UND_ERR_HEADERS_TIMEOUT' ||
        err.code === 'UND_ERR_BODY_TIMEOUT' ||
        err.code === 'UND_ERR_CONNECT_TIMEOUT'
      ) {
        return { kind: 'fault', fault: 'timeout', detail: `no answer within ${this.timeoutMs} ms` };
      }
      return { kind: 'fault', fault: 'unreachable', detail: `unreachable (${err.code ?? err.message ?? 'error'})` };
    }
  }

  private ingest(text: string, atMs: number): ScrapeOutcome {
    if (/^\s*</.test(text)) return { kind: 'fault', fault: 'html', detail: 'answered HTML (or XML), not Prometheus text' };
    const wallStart = performance.now();
    const counts = this.store.ingestText(atMs, text);
    this.cost.parseMs += performance.now() - wallStart;
    if (counts.samples === 0 && counts.badLines > 0) {
      return {
        kind: 'fault',
        fault: 'not-prometheus',
        detail: `answered text that is not Prometheus exposition (first line: ${JSON.stringify(counts.firstBadLine)})`,
      };
    }
    this.cost.scrapes += 1;
    return { kind: 'ok', samples: counts.samples };
  }
}

/** The body, or null once it passes maxBytes (the rest is not read). */
async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > maxBytes) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}
