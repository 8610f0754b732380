/** How the benches' loopback servers run as child processes: listen, announce {"port": N}, close on SIGTERM. */
import type { Server } from 'node:http';

export function serveOnLoopback(server: Server): void {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
  });
}
