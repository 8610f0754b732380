/**
 * Server metrics for one run, in the order a run needs them (like GPU telemetry): scrapers up at
 * the start, a report per step over the step's window (with a fresh scrape at its end), the cost
 * and the scrapers down at the end. Never throws for a server's fault: those are warnings.
 */
import { epochNowMs, type Clock } from '../../core/clock.js';
import type { ServerStepMetrics } from '../../core/report/server-metrics.js';
import type { HarnessHealthReport } from '../../core/report/telemetry.js';
import { endpointStep, type ClientStepFacts } from './endpoint-step.js';
import { EndpointScraper, SCRAPE_DEFAULTS, type ScrapeCost } from './scraper.js';

/** What a run scrapes: off, or these URLs (none: the target's own /metrics when `auto`) every intervalMs. */
export type ServerMetricsMode =
  | { readonly kind: 'off' }
  | { readonly kind: 'scrape'; readonly urls: readonly string[]; readonly auto: boolean; readonly intervalMs: number };

/** `<origin>/metrics` of a target URL, or null when it is not an http(s) URL. */
export function defaultMetricsUrl(targetUrl: string | null | undefined): string | null {
  if (!targetUrl) return null;
  try {
    const url = new URL(targetUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? `${url.origin}/metrics` : null;
  } catch {
    return null;
  }
}

export interface ServerMetricsOptions {
  /** Metrics URLs to scrape (credentials allowed: sent as basic auth, masked wherever shown). */
  readonly urls: readonly string[];
  /** With no URL: `<target origin>/metrics`, used when its first answer is Prometheus text. */
  readonly autoUrl?: string | null;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly clock?: Clock;
  readonly warn: (message: string) => void;
  readonly note?: (message: string) => void;
}

export interface ServerStepOutcome {
  readonly metrics: ServerStepMetrics | null;
  readonly warnings: readonly string[];
}

export type ServerScrapingCost = NonNullable<HarnessHealthReport['serverScraping']>;

export interface ServerMetricsSession {
  /** The URLs scraped, masked. */
  readonly urls: readonly string[];
  /** Scrapes once more (so the step's end is bracketed), then the step's figures per endpoint. */
  stepReport(fromMs: number, toMs: number, client: ClientStepFacts, what: string): Promise<ServerStepOutcome>;
  finish(): Promise<ServerScrapingCost>;
}

/** Null when there is nothing to scrape (no URL, and the target's /metrics did not answer Prometheus text). */
export async function startServerMetrics(options: ServerMetricsOptions): Promise<ServerMetricsSession | null> {
  const clock = options.clock ?? epochNowMs;
  const intervalMs = options.intervalMs ?? SCRAPE_DEFAULTS.intervalMs;
  const make = (url: string, onFault: (message: string) => void): EndpointScraper =>
    new EndpointScraper(url, {
      intervalMs,
      clock,
      onFault,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    });
  const scrapers = options.urls.map((url) => make(url, options.warn));
  if (scrapers.length === 0 && options.autoUrl) {
    // Tried once, quietly: a target without /metrics is the common case, not a fault.
    let firstFault: string | null = null;
    const probe = make(options.autoUrl, (message) => (firstFault ??= message));
    const outcome = await probe.scrapeNow();
    if (outcome.kind === 'ok' && outcome.samples > 0) {
      await probe.stop();
      scrapers.push(make(options.autoUrl, options.warn));
      options.note?.(`server metrics: scraping ${scrapers[0]!.shownUrl} every ${intervalMs} ms (the target answers Prometheus text there)`);
    } else {
      await probe.stop();
      options.note?.(`server metrics: ${probe.shownUrl} did not answer Prometheus text (${firstFault ?? 'no samples'}); not scraped (give --server-metrics URL)`);
    }
  }
  if (scrapers.length === 0) return null;
  for (const scraper of scrapers) scraper.start();
  const startedAtMs = clock();
  let finished: Promise<ServerScrapingCost> | null = null;
  return {
    urls: scrapers.map((scraper) => scraper.shownUrl),
    async stepReport(fromMs, toMs, client, what) {
      await Promise.all(scrapers.map((scraper) => scraper.scrapeNow()));
      const warnings: string[] = [];
      const endpoints = scrapers.flatMap((scraper) => {
        const { scrapes, series } = scraper.store;
        if (scrapes.length < 2) return [];
        const result = endpointStep(scraper.shownUrl, scrapes, series, { fromMs, toMs }, client, what);
        warnings.push(...result.warnings);
        // Later steps start after this one ends: the rows before its end are no longer needed.
        scraper.store.pruneBefore(toMs);
        return [result.step];
      });
      return { metrics: endpoints.length === 0 ? null : { endpoints }, warnings };
    },
    finish() {
      finished ??= Promise.all(scrapers.map((scraper) => scraper.stop())).then((costs) => scrapingCost(costs, clock() - startedAtMs));
      return finished;
    },
  };
}

function scrapingCost(costs: readonly ScrapeCost[], wallMs: number): ServerScrapingCost {
  const total = costs.reduce((sum, cost) => ({
    scrapes: sum.scrapes + cost.scrapes,
    failures: sum.failures + cost.failures,
    bytes: sum.bytes + cost.bytes,
    parseMs: sum.parseMs + cost.parseMs,
    cpuMs: sum.cpuMs + cost.cpuMs,
  }));
  return {
    endpoints: costs.length,
    scrapes: total.scrapes,
    failures: total.failures,
    bytes: total.bytes,
    parseMs: total.parseMs,
    cpuMs: total.cpuMs,
    cpuMsPerScrape: total.scrapes > 0 ? total.cpuMs / total.scrapes : null,
    cpuShare: wallMs > 0 ? total.cpuMs / wallMs : null,
  };
}
