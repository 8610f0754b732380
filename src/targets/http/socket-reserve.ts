/**
 * Connections opened before a step's clock starts. undici opens a pool's connections only when a
 * request needs one, so a step's first requests used to wait for their TCP connects (16 at once at
 * 16 in flight) inside the measured time. The reserve opens them ahead, with the connector the pool
 * would use, and is the pool's `connect`: a connection that connects takes a reserved socket still
 * open, or connects afresh. No request is sent: the server sees only the connections.
 *
 * undici's response parser (llhttp, WebAssembly compiled on a process's first connection) is built
 * by then too when the run's health check went first: it goes through the same undici.
 */
import { Socket } from 'node:net';
import { buildConnector } from 'undici';

const noop = (): void => undefined;

export class SocketReserve {
  private readonly idle: Socket[] = [];
  private readonly connector: buildConnector.connector;

  constructor(
    private readonly origin: URL,
    options: buildConnector.BuildOptions,
  ) {
    this.connector = buildConnector(options);
  }

  /** The pool's `connect` option: a reserved socket while one is open, else a fresh connect. */
  readonly connect: buildConnector.connector = (options, callback) => {
    this.dropClosed();
    const socket = this.idle.pop();
    if (socket === undefined) {
      this.connector(options, callback);
      return;
    }
    socket.off('error', noop);
    // Never synchronously: undici's client starts a connect while resuming its queue and ignores a resume from inside it.
    process.nextTick(callback, null, socket);
  };

  /** Opens sockets until `count` are reserved; a connect that fails is left to the step's own requests to meet. */
  async fill(count: number): Promise<void> {
    this.dropClosed();
    const missing = count - this.idle.length;
    if (missing <= 0) return;
    const { hostname, host, protocol, port } = this.origin;
    const options = { hostname, host, protocol, port: port || (protocol === 'https:' ? '443' : '80') };
    await Promise.all(
      Array.from(
        { length: missing },
        () =>
          new Promise<void>((resolve) => {
            this.connector(options, (error, socket) => {
              if (error === null && socket !== null) {
                // An idle socket's error (the server closing it) must not go unhandled; a closed one is dropped when taken.
                socket.on('error', noop);
                this.idle.push(socket);
              }
              resolve();
            });
          }),
      ),
    );
  }

  close(): void {
    for (const socket of this.idle.splice(0)) socket.destroy();
  }

  private dropClosed(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const socket = this.idle[i]!;
      if (socket.destroyed || socket.readyState !== 'open') {
        this.idle.splice(i, 1);
        socket.destroy();
      }
    }
  }
}
