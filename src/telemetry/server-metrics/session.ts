/**
 * Server metrics for one run, in the order a run needs them (like GPU telemetry): scrapers up at
 * the start, a report per step over the step's window (with a fresh scrape at its end), the cost
 * and the scrapers down at the end. The scraping itself (fetch, parse, store: ~1 MB pages at 4 Hz)
 * runs in a worker thread (scrape-worker-main.ts), so the thread that sends and stamps the load
 * only passes small messages. Never throws for a server's fault or the worker's: those are warnings.
 */
import { maskUrlCredentials } from '../../url-credentials.js';
import { builtEntryPath, openWorkerThread, type WorkerThreadOptions } from '../../worker-thread.js';
import type { ClientStepFacts } from './endpoint-step.js';
import { emptyScrapingCost, type ScrapeSettings, type ServerScrapingCost, type ServerStepOutcome } from './local-session.js';
import type { FromScrapeWorker, ToScrapeWorker } from './scrape-protocol.js';
import { SCRAPE_DEFAULTS } from './scraper.js';
import { targetServesMetrics } from './target-probe.js';

export type { ServerScrapingCost, ServerStepOutcome } from './local-session.js';

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

/**
 * Scrapes are stamped in the worker with core/clock's epochNowMs (the same axis in every thread),
 * so step windows must be on that axis too: the runner's default clock.
 */
export interface ServerMetricsOptions extends ScrapeSettings {
  /** With no URL: `<target origin>/metrics`, scraped when its first answer is Prometheus text. */
  readonly autoUrl?: string | null;
  readonly warn: (message: string) => void;
  readonly note?: (message: string) => void;
  /** The worker's heap limit (tests: a real out-of-memory crash). */
  readonly workerLimits?: WorkerThreadOptions['resourceLimits'];
}

export interface ServerMetricsSession {
  /** The URLs scraped, masked. */
  readonly urls: readonly string[];
  /** Scrapes once more (so the step's end is bracketed), then the step's figures per endpoint. */
  stepReport(fromMs: number, toMs: number, client: ClientStepFacts, what: string): Promise<ServerStepOutcome>;
  /** Stops the scrapers and ends the worker thread (on every path: also after a crash). */
  finish(): Promise<ServerScrapingCost>;
}

/** The scraping worker's entry (dist/ even when this runs from src/, as for model instances). */
export function scrapeWorkerEntryPath(moduleUrl: string = import.meta.url): string {
  return builtEntryPath(moduleUrl, 'scrape-worker-main.js');
}

/** Beyond the scrape timeout, how long the worker may take to answer before the run stops waiting. */
const ANSWER_SLACK_MS = 3000;

/** Null when there is nothing to scrape (no URL, and the target's /metrics did not answer Prometheus text). */
export async function startServerMetrics(options: ServerMetricsOptions): Promise<ServerMetricsSession | null> {
  const urls = await urlsToScrape(options);
  return urls.length === 0 ? null : startScrapeWorker({ ...options, urls });
}

/** The URLs given; with none, the target's /metrics once it answered Prometheus text (probed here: no worker for a 404). */
async function urlsToScrape(options: ServerMetricsOptions): Promise<readonly string[]> {
  if (options.urls.length > 0 || !options.autoUrl) return options.urls;
  return (await targetServesMetrics(options.autoUrl, pick(options), options.note)) ? [options.autoUrl] : [];
}

async function startScrapeWorker(options: ServerMetricsOptions): Promise<ServerMetricsSession | null> {
  const answerMs = (options.timeoutMs ?? SCRAPE_DEFAULTS.timeoutMs) + ANSWER_SLACK_MS;
  const steps = new Map<number, (outcome: ServerStepOutcome) => void>();
  let nextStepId = 1;
  let lastCost = emptyScrapingCost(options.urls.length);
  let onStarted: (urls: readonly string[] | null) => void = () => undefined;
  let onFinished: (cost: ServerScrapingCost) => void = () => undefined;
  let exitReason: string | null = null;
  let closing = false;
  const noFigures: ServerStepOutcome = { metrics: null, warnings: [] };
  const worker = openWorkerThread<ToScrapeWorker, FromScrapeWorker>(
    scrapeWorkerEntryPath(),
    {
      onMessage(message) {
        switch (message.kind) {
          case 'warn':
            return options.warn(message.message);
          case 'started':
            return onStarted(message.urls);
          case 'step':
            lastCost = message.cost;
            steps.get(message.id)?.(message.outcome);
            steps.delete(message.id);
            return;
          case 'finished':
            return onFinished(message.cost);
        }
      },
      onExit(reason) {
        exitReason = reason;
        if (!closing)
          options.warn(
            maskUrlCredentials(`server metrics: the scraping ${reason}; the load went on, and later steps have no server figures`),
          );
        onStarted(null);
        onFinished(lastCost);
        for (const resolve of steps.values()) resolve(noFigures);
        steps.clear();
      },
    },
    // Never what keeps the process alive: a run that ends, fails or is interrupted exits.
    { unref: true, ...(options.workerLimits && { resourceLimits: options.workerLimits }) },
  );
  /** The worker's answer, or `fallback` once it is gone or has not answered in time. */
  const ask = <T>(post: (answer: (value: T) => void) => void, fallback: T): Promise<T> => {
    if (exitReason !== null) return Promise.resolve(fallback);
    return new Promise<T>((resolve) => {
      // Ref'd: while the run waits for an answer, this (bounded) timer keeps the process up, as the worker does not.
      const timer = setTimeout(() => resolve(fallback), answerMs);
      post((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  };
  const settings: ScrapeSettings = { urls: options.urls, ...pick(options) };
  const urls = await ask<readonly string[] | null>((answer) => {
    onStarted = answer;
    worker.post({ kind: 'start', settings });
  }, null);
  let finished: Promise<ServerScrapingCost> | null = null;
  const finish = (): Promise<ServerScrapingCost> => {
    finished ??= (async () => {
      closing = true;
      try {
        return await ask<ServerScrapingCost>((answer) => {
          onFinished = answer;
          worker.post({ kind: 'finish' });
        }, lastCost);
      } finally {
        await worker.kill();
      }
    })();
    return finished;
  };
  if (urls === null) {
    await finish();
    return null;
  }
  return {
    urls,
    stepReport(fromMs, toMs, client, what) {
      const id = nextStepId++;
      return ask<ServerStepOutcome>((answer) => {
        steps.set(id, answer);
        worker.post({ kind: 'step', id, fromMs, toMs, client, what });
      }, noFigures);
    },
    finish,
  };
}

function pick(options: ScrapeSettings): Omit<ScrapeSettings, 'urls'> {
  return {
    ...(options.intervalMs !== undefined && { intervalMs: options.intervalMs }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
  };
}
