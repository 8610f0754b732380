/**
 * One shard of a run spread over processes or machines (`run --shard i/N`, an Indexed Job's pod):
 * it drives its share of every step by the same split as load worker threads (workers/split-load.ts:
 * in-flight counts and counts split so the shards sum to the plan, the open-loop schedule dealt by
 * arrival index), starts its first step at the agreed wall-clock instant, and records on a window
 * grid every shard shares (whole windows from that instant), so `pipebench merge` adds them exactly.
 */
import type { Clock } from '../core/clock.js';
import type { ClockOffsetReport, ShardReport, ShardSlot } from '../core/report/shard.js';
import type { Step } from '../core/workload.js';
import type { ArrivalSchedule } from '../load/arrivals.js';
import { dealtSchedule, workerStep } from './workers/split-load.js';

export class ShardRun {
  private startSkewMs: number | null = null;

  constructor(
    readonly slot: ShardSlot,
    /** --start-at in epoch ms; null: the first step starts when the shard is ready. */
    private readonly startAtMs: number | null,
    private readonly clockOffset: ClockOffsetReport | null,
  ) {}

  /** The step as this shard drives it: its share of in-flight, rate cap and counts. */
  share(step: Step, sendsInFlight: number, itemsPerSend: number): Step {
    return workerStep(step, sendsInFlight, itemsPerSend, this.slot);
  }

  /** Open loop: this shard's arrivals of the planned schedule (the same seed everywhere, so the union is the plan). */
  schedule(planned: ArrivalSchedule): ArrivalSchedule {
    return dealtSchedule(planned, this.slot);
  }

  /** Waits for --start-at before the first step's load (later steps go at once) and keeps the skew. */
  async waitForStart(clock: Clock): Promise<void> {
    if (this.startAtMs === null || this.startSkewMs !== null) return;
    // A timer may fire a little early on this clock: wait out the rest, so no shard starts before the instant.
    for (let waitMs = this.startAtMs - clock(); waitMs > 0; waitMs = this.startAtMs - clock())
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitMs)));
    this.startSkewMs = clock() - this.startAtMs;
  }

  /** The window grid every shard shares: whole windows from --start-at (or the epoch), the last one begun by `nowMs`. */
  windowOriginMs(nowMs: number, windowMs: number): number {
    const anchorMs = this.startAtMs ?? 0;
    return anchorMs + Math.floor((nowMs - anchorMs) / windowMs) * windowMs;
  }

  report(): ShardReport {
    return {
      index: this.slot.index,
      of: this.slot.of,
      startAt: this.startAtMs === null ? null : new Date(this.startAtMs).toISOString(),
      startSkewMs: this.startSkewMs,
      clockOffset: this.clockOffset,
    };
  }
}
