/** The client sockets a test file's requests opened (node's `net.client.socket` channel), emptied after each test. */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { afterEach } from 'vitest';

export function clientSocketsPerTest(): readonly Socket[] {
  const sockets: Socket[] = [];
  const onClientSocket = (message: unknown): void => {
    sockets.push((message as { socket: Socket }).socket);
  };
  subscribe('net.client.socket', onClientSocket);
  afterEach(() => {
    sockets.splice(0);
  });
  process.on('exit', () => unsubscribe('net.client.socket', onClientSocket));
  return sockets;
}
