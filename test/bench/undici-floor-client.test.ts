/**
 * bench:http's undici floor client (the built dist/bench/undici-floor-client.js as bench:http runs
 * it) against a real node:http server on 127.0.0.1, 1 s runs: it sends what the other clients send
 * (POST, the same body and content type, to the URL's path), keeps N in flight on N connections (or
 * N/K with pipelining K), and counts what the server answered, 2xx and not, exactly.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BODY, BODY_CONTENT_TYPE } from '../../src/bench/peer-body.js';
import { parseFloorOutput, type FloorOutput } from '../../src/bench/peer-output.js';

const CLIENT = join(import.meta.dirname, '..', '..', 'dist', 'bench', 'undici-floor-client.js');
const SERVICE_MS = 10;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

interface TestServer {
  readonly port: number;
  readonly seen: Seen[];
  /** Answers with status 500, by the server's own count. */
  readonly failed: { count: number };
  readonly connections: { count: number };
  /** The most requests open at once on one connection. */
  readonly pipelined: { most: number };
}

let running: Server | null = null;

afterEach(async () => {
  running?.closeAllConnections();
  await new Promise((resolve) => running?.close(resolve) ?? resolve(undefined));
  running = null;
});

/** Answers after SERVICE_MS; on /every-third-fails every third request gets a 500. */
async function startServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  const failed = { count: 0 };
  const connections = { count: 0 };
  const pipelined = { most: 0 };
  // Requests open at once per connection: K on one when the client really pipelines.
  const openOn = new Map<Socket, number>();
  const server = createServer((request: IncomingMessage, response) => {
    const { socket } = request;
    openOn.set(socket, (openOn.get(socket) ?? 0) + 1);
    pipelined.most = Math.max(pipelined.most, openOn.get(socket)!);
    response.on('finish', () => openOn.set(socket, openOn.get(socket)! - 1));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
      });
      const fail = request.url === '/every-third-fails' && seen.length % 3 === 0;
      if (fail) failed.count++;
      setTimeout(() => {
        response.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
        response.end('{"output":"ok"}');
      }, SERVICE_MS);
    });
  });
  server.on('connection', () => connections.count++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running = server;
  return { port: (server.address() as AddressInfo).port, seen, failed, connections, pipelined };
}

async function runClient(url: string, inFlight: number, pipelining?: number): Promise<{ stdout: string; output: FloorOutput }> {
  const args = [CLIENT, url, String(inFlight), '1', ...(pipelining === undefined ? [] : [String(pipelining)])];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  return { stdout, output: JSON.parse(stdout) as FloorOutput };
}

describe('undici floor client', () => {
  it('sends the bench body as a POST to the path, N in flight on N connections, and counts every answer', async () => {
    const server = await startServer();
    const { stdout, output } = await runClient(`http://127.0.0.1:${server.port}/delay/x?y=1`, 4);
    expect(output).toMatchObject({ errors: 0, connections: 4, pipelining: 1 });
    // Every request the server saw was answered and counted: the loop drains what it sent.
    expect(output.requests).toBe(server.seen.length);
    expect(server.connections.count).toBe(4);
    expect(new Set(server.seen.map((s) => JSON.stringify([s.method, s.url, s.contentType, s.body])))).toEqual(
      new Set([JSON.stringify(['POST', '/delay/x?y=1', BODY_CONTENT_TYPE, BODY])]),
    );
    // At most 4 in flight for ~1 s of 10 ms answers; the latencies are at least the service time.
    expect(output.requests).toBeLessThanOrEqual(4 * (1000 / SERVICE_MS + 1));
    expect(output.p50Us).toBeGreaterThanOrEqual(SERVICE_MS * 1000);
    expect(output.p99Us).toBeGreaterThanOrEqual(output.p50Us);
    // Little's law on its own figures: no more than 4 were in flight (HDR reads bucket high edges: +0.1 %).
    expect((output.requestsPerSec * output.meanUs) / 1e6).toBeLessThanOrEqual(4 * 1.001);
    // bench:http reads the same line.
    expect(parseFloorOutput(`some noise\n${stdout}`)).toMatchObject({ requests: output.requests, meanUs: output.meanUs });
  });

  it('counts non-2xx answers as errors, apart from the 2xx ones', async () => {
    const server = await startServer();
    const { output } = await runClient(`http://127.0.0.1:${server.port}/every-third-fails`, 2);
    expect(server.failed.count).toBeGreaterThan(0);
    expect(output.errors).toBe(server.failed.count);
    expect(output.requests).toBe(server.seen.length - server.failed.count);
  });

  it('with pipelining K, keeps N in flight on N/K connections', async () => {
    const server = await startServer();
    const { output } = await runClient(`http://127.0.0.1:${server.port}/`, 4, 2);
    expect(output).toMatchObject({ errors: 0, connections: 2, pipelining: 2 });
    expect(server.connections.count).toBe(2);
    expect(server.pipelined.most).toBe(2);
    expect(output.requests).toBe(server.seen.length);
  });

  it('exits 1 with a line naming the failure when no request succeeds', async () => {
    const server = await startServer();
    const port = server.port;
    running!.closeAllConnections();
    await new Promise((resolve) => running!.close(resolve));
    running = null;
    await expect(promisify(execFile)(process.execPath, [CLIENT, `http://127.0.0.1:${port}/`, '1', '1'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^undici-floor-client: no request succeeded \(\d+ failed\)\n$/),
    });
  });
});
