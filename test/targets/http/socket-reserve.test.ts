/**
 * The connections a step opens before its clock starts (socket-reserve.ts, through
 * HttpTarget.prepareLoad), against real node:http servers on 127.0.0.1: the requests then go out on
 * them without connecting again, and a reserved connection the server closed meanwhile fails no request.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import { clientSocketsPerTest } from './client-sockets.js';
import { closedAfterEach, templateSpec } from './spec.js';

const open = closedAfterEach();
const clientSockets = clientSocketsPerTest();

describe('HttpTarget.prepareLoad', () => {
  it('opens the connections for the sends in flight (no more than the pool has), and the requests use them', async () => {
    const server = await open.server({ kind: 'json', body: '{"outputs": "x"}' });
    const target = await open.target(templateSpec(server.url, { connections: 4 }));
    await target.prepareLoad('classify', 16);
    expect(clientSockets).toHaveLength(4);
    expect(clientSockets.every((socket) => socket.readyState === 'open')).toBe(true);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => target.submit('classify', `p${i}`, epochNowMs())));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(clientSockets).toHaveLength(4);
    // Those already connected count: preparing again opens nothing.
    await target.prepareLoad('classify', 4);
    expect(clientSockets).toHaveLength(4);
  });

  it('a reserved connection the server closed meanwhile costs no request: they connect afresh and succeed', async () => {
    // The server drops the first two connections at once (as one with a short idle timeout would), then answers.
    let accepted = 0;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"outputs": "x"}'));
    });
    server.on('connection', (socket: Socket) => {
      if (accepted++ < 2) socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = await open.target(templateSpec(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { connections: 2 }));
      await target.prepareLoad('classify', 2);
      expect(clientSockets).toHaveLength(2);
      await Promise.all(clientSockets.map((socket) => (socket.closed ? null : once(socket, 'close'))));
      const results = await Promise.all([0, 1].map((i) => target.submit('classify', `p${i}`, epochNowMs())));
      expect(results.map((result) => result.ok)).toEqual([true, true]);
      expect(clientSockets).toHaveLength(4);
      await target.close();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
