/**
 * The scraping worker thread: fetches, parses and stores every metrics page of a run here, off the
 * thread that sends and stamps the load, and answers the run's start, step and finish messages.
 * A failure inside a request is answered as a warning; only an uncaught one ends the thread
 * (the run's side then warns once and goes on without server figures).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { toError } from '../../errors.js';
import { maskUrlCredentials } from '../../url-credentials.js';
import { emptyScrapingCost, startLocalScraping, type LocalScrapeSession } from './local-session.js';
import type { FromScrapeWorker, ToScrapeWorker } from './scrape-protocol.js';

function workerPort(): MessagePort {
  if (parentPort === null) throw new Error('scrape-worker-main.js runs as a worker thread');
  return parentPort;
}

const port = workerPort();
const post = (message: FromScrapeWorker): void => port.postMessage(message);
const failure = (what: string, error: unknown): string => maskUrlCredentials(`server metrics: ${what} failed: ${toError(error).message}`);

let session: LocalScrapeSession | null = null;
let endpoints = 0;

async function handle(message: ToScrapeWorker): Promise<void> {
  switch (message.kind) {
    case 'start':
      endpoints = message.settings.urls.length;
      try {
        session = await startLocalScraping({
          ...message.settings,
          warn: (text) => post({ kind: 'warn', message: text }),
        });
      } catch (error) {
        post({ kind: 'warn', message: failure('starting the scrapers', error) });
      }
      post({ kind: 'started', urls: session?.urls ?? null });
      return;
    case 'step': {
      if (session === null)
        return post({ kind: 'step', id: message.id, outcome: { metrics: null, warnings: [] }, cost: emptyScrapingCost(endpoints) });
      try {
        const outcome = await session.stepReport(message.fromMs, message.toMs, message.client, message.what);
        post({ kind: 'step', id: message.id, outcome, cost: session.costSoFar() });
      } catch (error) {
        post({
          kind: 'step',
          id: message.id,
          outcome: { metrics: null, warnings: [failure(`${message.what}: the step's figures`, error)] },
          cost: session.costSoFar(),
        });
      }
      return;
    }
    case 'finish':
      post({
        kind: 'finished',
        cost: session === null ? emptyScrapingCost(endpoints) : await session.finish().catch(() => session!.costSoFar()),
      });
      port.close();
      return;
  }
}

port.on('message', (message: ToScrapeWorker) => void handle(message));
