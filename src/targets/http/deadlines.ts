/**
 * Whole-request deadlines without a timer per request. undici's bodyTimeout only measures the gap
 * between two body chunks, so a body that trickles in a byte at a time never times out; and its
 * headers and body timeouts fire on a ~0.5 s tick. Requests in flight register here instead, each
 * with the epoch ms it must be done by, and one sweep timer per target expires the overdue ones.
 * A deadline fires at most one sweep interval late.
 */
import { epochNowMs, type Clock } from '../../core/clock.js';
import type { TimeoutsSpec } from '../../core/workload.js';

/** A request in flight, as the sweep sees it. `deadlineMs` may move (headers, then body). */
export interface Expirable {
  readonly deadlineMs: number;
  /** Past its deadline: abort it and fail it as a timeout. Called once; the sweep forgets it first. */
  expire(nowMs: number): void;
}

const MIN_SWEEP_MS = 10;
const MAX_SWEEP_MS = 100;
/** Sweeps per shortest timeout: a deadline fires within ~5 % of its value (or 100 ms) of it. */
const SWEEPS_PER_TIMEOUT = 20;

/** The sweep interval for these timeouts: a twentieth of the shortest, within 10..100 ms. */
export function sweepIntervalMs(timeouts: Pick<TimeoutsSpec, 'headersMs' | 'bodyMs'>): number {
  const shortestMs = Math.min(timeouts.headersMs, timeouts.bodyMs);
  return Math.min(MAX_SWEEP_MS, Math.max(MIN_SWEEP_MS, Math.floor(shortestMs / SWEEPS_PER_TIMEOUT)));
}

export class DeadlineSweep {
  private readonly inFlight = new Set<Expirable>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly sweep = (): void => {
    const nowMs = this.clock();
    for (const request of this.inFlight) {
      if (nowMs < request.deadlineMs) continue;
      this.inFlight.delete(request);
      request.expire(nowMs);
    }
  };

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock = epochNowMs,
  ) {}

  /** Watches a request until `untrack`; tracking one twice is harmless. */
  track(request: Expirable): void {
    this.inFlight.add(request);
    if (this.timer === null && !this.closed) {
      // One interval for the target's lifetime: starting and stopping it per request would cost more.
      this.timer = setInterval(this.sweep, this.intervalMs);
      this.timer.unref();
    }
  }

  untrack(request: Expirable): void {
    this.inFlight.delete(request);
  }

  /** Stops sweeping (the target closed: its pools abort what is left). */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.inFlight.clear();
  }
}
