/**
 * The loopback server bench:adaptive measures: each path answers after a service time drawn from
 * its own known distribution (seeded, so every run sees the same draws in order), in ms:
 * - /tight: 200 + uniform(0, 10)
 * - /spread: 200 x e^(0.25 z), z standard normal (a log-normal, p95 ~302)
 * - /tail: 200 for 80 % of requests, else uniform(200, 1000) (p95 ~800, where the density is thin)
 * 200 ms, so that a loaded machine's event-loop jitter (tens of ms) stays small beside them. Run
 * as its own process so its timers are not held up by the client. Prints {"port": N}; exits on SIGTERM.
 */
import { createServer } from 'node:http';
import { serveOnLoopback } from './serve-loopback.js';
import { mulberry32 } from '../random.js';

type KnownPath = 'tight' | 'spread' | 'tail';

const BASE_MS = 200;
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

const server = createServer((request, response) => {
  const draw = draws[(request.url ?? '').slice(1) as KnownPath] as (() => number) | undefined;
  request.on('data', () => undefined);
  request.on('end', () => {
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
