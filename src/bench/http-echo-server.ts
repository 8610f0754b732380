/**
 * The trivial loopback server bench:http drives: reads the request body, answers a fixed small
 * JSON body with keep-alive. Run as its own process so the client under test has a core to itself.
 * Prints {"port": N} once listening; exits on SIGTERM.
 */
import { createServer } from 'node:http';
import { serveOnLoopback } from './serve-loopback.js';

const RESPONSE = Buffer.from('{"output":"ok"}');
const HEADERS = { 'content-type': 'application/json', 'content-length': String(RESPONSE.length) };

const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, HEADERS);
    response.end(RESPONSE);
  });
});
serveOnLoopback(server);
