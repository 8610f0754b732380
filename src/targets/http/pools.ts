/**
 * One ConnectionPool per origin (the target URL and each distinct stage endpoint). Pools open
 * lazily on first use, so `setConnections` (the runner's in-flight count for connections: "auto")
 * can still size them after the target is open. Each connection is a TrackedClient, so a request
 * knows whether it went out on a reused connection. Each pool connects through a SocketReserve, so
 * a step can have its connections opened before its clock starts (prepare).
 */
import type { Client } from 'undici';
import type { TimeoutsSpec } from '../../core/workload.js';
import { ConnectionPool } from './connection-pool.js';
import { SocketReserve } from './socket-reserve.js';

export interface PoolSettings {
  /** Connections per origin; null = not known yet (connections: "auto" before setConnections). */
  readonly connections: number | null;
  readonly pipelining: number;
  readonly timeouts: TimeoutsSpec;
}

/**
 * The undici options each connection here is opened with, beside its connector (which carries the
 * connect timeout); bench:http's undici floor client (src/bench/undici-floor-client.ts) opens its
 * undici Pool with the same, so the floor is this undici as pipebench configures it.
 */
export function undiciClientOptions(pipelining: number, timeouts: TimeoutsSpec): Omit<Client.Options, 'connect'> {
  return {
    pipelining,
    // undici checks these two on a ~0.5 s tick, and its body timeout is only the gap between
    // chunks; send.ts enforces both deadlines itself (deadlines.ts), these are a backstop.
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    // Keep sockets across steps; a benchmark's gaps between requests are short.
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
  };
}

/** Used when connections is "auto" and the runner never said how many requests it keeps in flight. */
export const DEFAULT_AUTO_CONNECTIONS = 1;

export class OriginPools {
  private readonly pools = new Map<string, { readonly pool: ConnectionPool; readonly reserve: SocketReserve }>();
  private settings: PoolSettings;

  constructor(settings: PoolSettings) {
    this.settings = settings;
  }

  get connections(): number {
    return this.settings.connections ?? DEFAULT_AUTO_CONNECTIONS;
  }

  /** The pool for an origin ("http://host:port"). */
  get(origin: string): ConnectionPool {
    return this.entry(origin).pool;
  }

  /**
   * Before a step's clock starts: the connections `sends` requests in flight will use are open
   * (those the pool has connected already count). Sends nothing.
   */
  async prepare(origin: string, sends: number): Promise<void> {
    const { pool, reserve } = this.entry(origin);
    // One connection per request in flight up to the limit: the pool spreads before it stacks.
    const wanted = Math.min(this.connections, sends);
    await reserve.fill(wanted - pool.connected);
  }

  private entry(origin: string): { readonly pool: ConnectionPool; readonly reserve: SocketReserve } {
    let entry = this.pools.get(origin);
    if (entry === undefined) {
      const { pipelining, timeouts } = this.settings;
      // The connector undici builds by default, with the same connect timeout.
      const reserve = new SocketReserve(new URL(origin), { timeout: timeouts.connectMs });
      const pool = new ConnectionPool(new URL(origin), this.connections, {
        connect: reserve.connect,
        ...undiciClientOptions(pipelining, timeouts),
      });
      entry = { pool, reserve };
      this.pools.set(origin, entry);
    }
    return entry;
  }

  /**
   * Resize every pool (between steps, nothing in flight): pools already open are closed and
   * reopen on next use with `connections` sockets.
   */
  async setConnections(connections: number): Promise<void> {
    if (connections === this.settings.connections) return;
    this.settings = { ...this.settings, connections };
    await this.destroyAll();
  }

  async close(): Promise<void> {
    await this.destroyAll();
  }

  private async destroyAll(): Promise<void> {
    const entries = [...this.pools.values()];
    this.pools.clear();
    for (const { reserve } of entries) reserve.close();
    await Promise.all(entries.map(({ pool }) => pool.destroy()));
  }
}
