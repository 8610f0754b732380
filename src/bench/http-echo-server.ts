/**
 * The trivial loopback server the HTTP benches drive: reads the request body, answers a fixed small
 * JSON body with keep-alive. `/delay/<ms>` answers after that many milliseconds of service time
 * (a timer, so the server's CPU stays free); any other path answers at once. One process serves
 * every delay, so each client of a comparison meets the same server. Run as its own process so the
 * client under test has a core to itself. Prints {"port": N} once listening; exits on SIGTERM.
 */
import { createServer, type ServerResponse } from 'node:http';
import { serveOnLoopback } from './serve-loopback.js';

const RESPONSE = Buffer.from('{"output":"ok"}');
const HEADERS = { 'content-type': 'application/json', 'content-length': String(RESPONSE.length) };
const DELAY_ROUTE = /^\/delay\/(\d+)$/;

function answer(response: ServerResponse): void {
  response.writeHead(200, HEADERS);
  response.end(RESPONSE);
}

const server = createServer((request, response) => {
  const delayMs = Number(DELAY_ROUTE.exec(request.url ?? '')?.[1] ?? 0);
  request.on('data', () => undefined);
  request.on('end', () => {
    if (delayMs > 0) setTimeout(answer, delayMs, response);
    else answer(response);
  });
});
serveOnLoopback(server);
