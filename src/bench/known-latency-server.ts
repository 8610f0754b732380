/**
 * The loopback server bench:adaptive measures: each path answers after a service time drawn from
 * its own known distribution (seeded, so every run sees the same draws in order), in ms:
 * - /tight: 200 + uniform(0, 5)
 * - /spread: 200 x e^(0.25 z), z standard normal (a log-normal, p95 ~302)
 * - /tail: 200 for 80 % of requests, else uniform(200, 1000) (p95 ~800, where the density is thin)
 * - /batch: a model served in batches, body {"texts": [...]}: one call of b texts takes
 *   (BATCH_BASE_MS + BATCH_PER_ITEM_MS x b) x e^(0.15 z), and answers {"label": [b labels]}. Its
 *   texts share that one draw, as the items of one model call share its latency.
 * 200 ms (and 20 ms + 2 ms a text), so that a loaded machine's event-loop jitter stays small beside
 * them. Run as its own process so its timers are not held up by the client. Prints {"port": N};
 * exits on SIGTERM.
 */
import { createServer, type ServerResponse } from 'node:http';
import { serveOnLoopback } from './serve-loopback.js';
import { mulberry32 } from '../random.js';

type KnownPath = 'tight' | 'spread' | 'tail';

const BASE_MS = 200;
const BATCH_BASE_MS = 20;
const BATCH_PER_ITEM_MS = 2;
const BATCH_SIGMA = 0.15;
const RESPONSE = Buffer.from('{"label":"ok"}');
const HEADERS = { 'content-type': 'application/json', 'content-length': String(RESPONSE.length) };

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const draws: Record<KnownPath, () => number> = {
  tight: (
    (random) => () =>
      BASE_MS + 5 * random()
  )(mulberry32(1)),
  spread: (
    (random) => () =>
      BASE_MS * Math.exp(0.25 * standardNormal(random))
  )(mulberry32(2)),
  tail: ((random) => () => (random() < 0.8 ? BASE_MS : BASE_MS + 800 * random()))(mulberry32(3)),
};

const batchNoise = mulberry32(4);

/** Answers a batch of `texts` after its call's service time. */
function answerBatch(body: string, response: ServerResponse): void {
  let texts: unknown;
  try {
    texts = (JSON.parse(body) as { texts?: unknown }).texts;
  } catch {
    texts = undefined;
  }
  if (!Array.isArray(texts) || texts.length === 0) {
    response.writeHead(400).end();
    return;
  }
  const answer = Buffer.from(JSON.stringify({ label: texts.map(() => 'ok') }));
  const serviceMs = (BATCH_BASE_MS + BATCH_PER_ITEM_MS * texts.length) * Math.exp(BATCH_SIGMA * standardNormal(batchNoise));
  setTimeout(() => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length) });
    response.end(answer);
  }, serviceMs);
}

const server = createServer((request, response) => {
  const path = (request.url ?? '').slice(1);
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (path === 'batch') {
      answerBatch(Buffer.concat(chunks).toString('utf8'), response);
      return;
    }
    const draw = draws[path as KnownPath] as (() => number) | undefined;
    if (draw === undefined) {
      response.writeHead(404).end();
      return;
    }
    setTimeout(() => {
      response.writeHead(200, HEADERS);
      response.end(RESPONSE);
    }, draw());
  });
});
serveOnLoopback(server);
