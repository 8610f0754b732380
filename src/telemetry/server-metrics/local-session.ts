/**
 * The scrapers of one run on the thread that calls this (the scraping worker: scrape-worker-main.ts):
 * up at the start, a report per step over the step's window (with a fresh scrape at its end), the
 * cost and the scrapers down at the end. Never throws for a server's fault: those are warnings.
 */
import { epochNowMs, type Clock } from '../../core/clock.js';
import type { ServerStepMetrics } from '../../core/report/server-metrics.js';
import type { HarnessHealthReport } from '../../core/report/telemetry.js';
import { threadCpuMeter } from '../thread-cpu.js';
import { endpointStep, type ClientStepFacts } from './endpoint-step.js';
import { EndpointScraper, SCRAPE_DEFAULTS, type ScrapeCost } from './scraper.js';

/** What a session scrapes and how; plain data, so it crosses to the scraping worker as is. */
export interface ScrapeSettings {
  /** Metrics URLs to scrape (credentials allowed: sent as basic auth, masked wherever shown). */
  readonly urls: readonly string[];
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export interface LocalScrapeOptions extends ScrapeSettings {
  readonly clock?: Clock;
  /** Once per fault kind and URL, credentials masked. */
  readonly warn: (message: string) => void;
}

export interface ServerStepOutcome {
  readonly metrics: ServerStepMetrics | null;
  readonly warnings: readonly string[];
}

export type ServerScrapingCost = NonNullable<HarnessHealthReport['serverScraping']>;

export interface LocalScrapeSession {
  /** The URLs scraped, masked. */
  readonly urls: readonly string[];
  /** Scrapes once more (so the step's end is bracketed), then the step's figures per endpoint. */
  stepReport(fromMs: number, toMs: number, client: ClientStepFacts, what: string): Promise<ServerStepOutcome>;
  /** The cost so far, the scrapers still running: what a run keeps if this thread dies later. */
  costSoFar(): ServerScrapingCost;
  finish(): Promise<ServerScrapingCost>;
}

/** Null when there is no URL to scrape. */
export async function startLocalScraping(options: LocalScrapeOptions): Promise<LocalScrapeSession | null> {
  const clock = options.clock ?? epochNowMs;
  const intervalMs = options.intervalMs ?? SCRAPE_DEFAULTS.intervalMs;
  const scrapers = options.urls.map(
    (url) =>
      new EndpointScraper(url, {
        intervalMs,
        clock,
        onFault: options.warn,
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
      }),
  );
  if (scrapers.length === 0) return null;
  // All of this thread's CPU from here on is scraping: fetching, parsing, storing, step figures.
  const cpu = threadCpuMeter();
  const cpuStartMs = cpu.now();
  for (const scraper of scrapers) scraper.start();
  const startedAtMs = clock();
  const costNow = (costs: readonly ScrapeCost[]): ServerScrapingCost => scrapingCost(costs, cpu.now() - cpuStartMs, clock() - startedAtMs);
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
    costSoFar: () => costNow(scrapers.map((scraper) => scraper.costSoFar())),
    finish() {
      finished ??= Promise.all(scrapers.map((scraper) => scraper.stop())).then(costNow);
      return finished;
    },
  };
}

/** Zero scrapes over `endpoints` URLs: the cost of a session that never reported one. */
export function emptyScrapingCost(endpoints: number): ServerScrapingCost {
  return scrapingCost(
    Array.from({ length: endpoints }, () => ({ scrapes: 0, failures: 0, bytes: 0, parseMs: 0 })),
    0,
    0,
  );
}

function scrapingCost(costs: readonly ScrapeCost[], cpuMs: number, wallMs: number): ServerScrapingCost {
  const total = costs.reduce(
    (sum, cost) => ({
      scrapes: sum.scrapes + cost.scrapes,
      failures: sum.failures + cost.failures,
      bytes: sum.bytes + cost.bytes,
      parseMs: sum.parseMs + cost.parseMs,
    }),
    { scrapes: 0, failures: 0, bytes: 0, parseMs: 0 },
  );
  return {
    endpoints: costs.length,
    ...total,
    cpuMs,
    cpuMsPerScrape: total.scrapes > 0 ? cpuMs / total.scrapes : null,
    cpuShare: wallMs > 0 ? cpuMs / wallMs : null,
  };
}
