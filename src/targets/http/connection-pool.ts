/**
 * One origin's connections (TrackedClients, each one undici Client on one socket), handing each
 * request straight to a connection with room.
 *
 * Why not undici's Pool: a Pool gives a request only to a client that has signalled 'drain', and a
 * client signals it from a setImmediate after each response. A request sent as a response
 * completes (the closed loop's next send) so waited a whole event-loop turn in the Pool's queue,
 * and only then did the client start its own one-turn wait before writing on a reused idle socket
 * (undici's fix for GHSA-35p6-xmwp-9g52, kept). Handed to the client at once, that wait ends in
 * the same turn's check phase: one loop turn less per request, and no gap in the load held.
 *
 * Room is counted here, not asked of undici: a request counts on its client from dispatch until
 * its handler settles (SendHandler calls `released`), which is before undici's own bookkeeping
 * frees the slot. Past `connections` clients with none free, requests wait here in order and go
 * to the first client that drains, as in undici's Pool.
 */
import { errors, type Dispatcher } from 'undici';
import { TrackedClient, type TrackedClientOptions } from './tracked-client.js';

/** What send() needs of where it sends: a pool, or one client (a resend). */
export type RequestDispatcher = Pick<Dispatcher, 'dispatch'>;

/** Handed-on entries kept at the queue's head before it is compacted. */
const COMPACT_AFTER = 1024;

interface Waiting {
  readonly options: Dispatcher.DispatchOptions;
  readonly handler: Dispatcher.DispatchHandler;
}

export class ConnectionPool implements RequestDispatcher {
  private readonly clients: TrackedClient[] = [];
  /** Requests waiting for a slot, oldest first from `waitingHead` (no shift per request). */
  private waiting: Waiting[] = [];
  private waitingHead = 0;
  private destroyed = false;

  constructor(
    private readonly origin: URL,
    private readonly connections: number,
    private readonly clientOptions: TrackedClientOptions,
  ) {}

  /** Sockets open now (the reserve tops these up before a step). */
  get connected(): number {
    let open = 0;
    for (const client of this.clients) if (client.stats.connected) open++;
    return open;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.destroyed) {
      handler.onError?.(new errors.ClientDestroyedError());
      return false;
    }
    // Behind requests already waiting, a new one waits too: first come, first written.
    const client = this.waitingHead < this.waiting.length ? null : this.clientWithRoom();
    if (client === null) {
      this.waiting.push({ options, handler });
      return false;
    }
    client.dispatch(options, handler);
    return true;
  }

  /** Closes every connection at once; requests still waiting here fail as destroyed. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const waiting = this.waiting.slice(this.waitingHead);
    this.waiting = [];
    this.waitingHead = 0;
    for (const { handler } of waiting) handler.onError?.(new errors.ClientDestroyedError());
    await Promise.all(this.clients.splice(0).map((client) => client.destroy()));
  }

  /**
   * An idle client, else a new one while under `connections`, else the first with room in its
   * pipeline, else null. Idle first because undici does not pipeline a POST behind another request
   * (see TrackedClient.hasRoom): spread over the connections, as undici's Pool spread them.
   */
  private clientWithRoom(): TrackedClient | null {
    let withRoom: TrackedClient | null = null;
    for (const client of this.clients) {
      if (client.idle) return client;
      if (withRoom === null && client.hasRoom) withRoom = client;
    }
    if (this.clients.length >= this.connections) return withRoom;
    const client = new TrackedClient(this.origin, this.clientOptions);
    client.on('drain', () => this.feed(client));
    this.clients.push(client);
    return client;
  }

  /** A client drained: the requests waiting here go to it while it has room. */
  private feed(client: TrackedClient): void {
    while (this.waitingHead < this.waiting.length && client.hasRoom && !this.destroyed) {
      const { options, handler } = this.waiting[this.waitingHead++] as Waiting;
      client.dispatch(options, handler);
    }
    // Drop what was handed on: at once when none waits, else once it is most of the array (a queue
    // that never empties stays bounded).
    if (this.waitingHead === this.waiting.length) {
      this.waiting = [];
      this.waitingHead = 0;
    } else if (this.waitingHead >= COMPACT_AFTER && this.waitingHead * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitingHead);
      this.waitingHead = 0;
    }
  }
}
