/**
 * An undici Client (one connection of a pool) that tells each request's handler which client took
 * it, so the handler can tell whether the connection was reused and how many bytes it had read.
 *
 * Why: a server may close an idle keep-alive connection (without `Connection: close`) just as the
 * next request is written to it. The request then fails before a single response byte, through no
 * fault of the server's answer to it. Browsers and curl send such a request again on a fresh
 * connection; send.ts and target.ts do the same, once (see SendHandler.onError).
 */
import type { Socket } from 'node:net';
import { buildConnector, Client, type Dispatcher } from 'undici';

/** The connection a client has now: its socket and how many requests were written on it. */
export interface ConnectionState {
  socket: Socket | null;
  writes: number;
}

/** A handler that wants to know which client took it (SendHandler). */
export interface ConnectionTaker {
  takenBy(client: TrackedClient): void;
}

export class TrackedClient extends Client {
  readonly connection: ConnectionState;

  constructor(origin: URL, options: Client.Options & { readonly connect: buildConnector.connector }) {
    const connection: ConnectionState = { socket: null, writes: 0 };
    const connect = options.connect;
    super(origin, {
      ...options,
      // Every new socket passes here before undici writes a request on it.
      connect: (connectOptions, callback) =>
        connect(connectOptions, (...args) => {
          const socket = args[1];
          if (socket) {
            connection.socket = socket;
            connection.writes = 0;
          }
          callback(...args);
        }),
    });
    this.connection = connection;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    (handler as Partial<ConnectionTaker>).takenBy?.(this);
    return super.dispatch(options, handler);
  }
}

/** The Pool `factory` that makes each connection a TrackedClient (undici's Pool passes a built connector). */
export function trackedClientFactory(origin: URL, options: object): Dispatcher {
  return new TrackedClient(origin, options as Client.Options & { readonly connect: buildConnector.connector });
}
