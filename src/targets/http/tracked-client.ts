/**
 * An undici Client (one connection of a pool) that tells each request's handler which client took
 * it, so the handler can tell whether the connection was reused and how many bytes it had read,
 * and counts the requests it holds until their handlers settle (ConnectionPool's room).
 *
 * Why: a server may close an idle keep-alive connection (without `Connection: close`) just as the
 * next request is written to it. The request then fails before a single response byte, through no
 * fault of the server's answer to it. Browsers and curl send such a request again on a fresh
 * connection; send.ts and target.ts do the same, once (see SendHandler.onError).
 */
import type { Socket } from 'node:net';
import { Client, type buildConnector, type Dispatcher } from 'undici';

/** The connection a client has now: its socket and how many requests were written on it. */
export interface ConnectionState {
  socket: Socket | null;
  writes: number;
}

/** A handler that wants to know which client took it (SendHandler); it calls `released` once when it settles. */
export interface ConnectionTaker {
  takenBy(client: TrackedClient): void;
}

export type TrackedClientOptions = Client.Options & { readonly connect: buildConnector.connector };

export class TrackedClient extends Client {
  readonly connection: ConnectionState;
  /** Requests of ConnectionTakers dispatched here whose handlers have not settled yet. */
  private held = 0;

  constructor(origin: URL, options: TrackedClientOptions) {
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

  /** Whether it holds no request now: the next one is written at once. */
  get idle(): boolean {
    return this.held === 0;
  }

  /**
   * Whether it takes another request within its pipelining depth. undici writes a POST or PUT only
   * once the request before it on the connection has its answer (non-idempotent, blocking), so a
   * request stacked here may wait behind the one before it: ConnectionPool stacks only when every
   * connection it may open is busy.
   */
  get hasRoom(): boolean {
    return this.held < this.pipelining;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const taker = handler as Partial<ConnectionTaker>;
    if (taker.takenBy !== undefined) {
      this.held++;
      taker.takenBy(this);
    }
    return super.dispatch(options, handler);
  }

  /** A ConnectionTaker's request settled (answered, failed or expired): its slot is free. */
  released(): void {
    this.held--;
  }
}
