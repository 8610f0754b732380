/** The messages between a run's thread and its scraping worker (scrape-worker-main.ts): small, plain data. */
import type { ClientStepFacts } from './endpoint-step.js';
import type { ScrapeSettings, ServerScrapingCost, ServerStepOutcome } from './local-session.js';

export type ToScrapeWorker =
  | { readonly kind: 'start'; readonly settings: ScrapeSettings }
  | {
      readonly kind: 'step';
      readonly id: number;
      readonly fromMs: number;
      readonly toMs: number;
      readonly client: ClientStepFacts;
      readonly what: string;
    }
  | { readonly kind: 'finish' };

export type FromScrapeWorker =
  /** urls: the masked URLs scraped; null when there is nothing to scrape. */
  | { readonly kind: 'started'; readonly urls: readonly string[] | null }
  | { readonly kind: 'warn'; readonly message: string }
  /** With the cost so far, so a worker lost later still leaves its figures up to this step. */
  | { readonly kind: 'step'; readonly id: number; readonly outcome: ServerStepOutcome; readonly cost: ServerScrapingCost }
  | { readonly kind: 'finished'; readonly cost: ServerScrapingCost };
