/**
 * Dynamic batcher: one FIFO queue per lane (model task), shared model instances ("slots").
 * A lane dispatches to a free slot when it holds maxBatchSize items, when its oldest item has
 * waited maxQueueDelayMs, or at once when maxQueueDelayMs is 0; never more than maxBatchSize
 * per call, at most one batch per slot. Static batches bypass the queues but wait for a slot.
 * Per item it only stamps and queues; the clock and timers are injected so tests need no sleeps.
 */
import { epochNowMs } from '../../core/clock.js';

export interface BatcherTimers {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realTimers: BatcherTimers = {
  now: epochNowMs,
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface QueuedItem {
  /** Stamped by the batcher when the item enters a queue (epoch ms). */
  tEnqueueMs: number;
}

export interface QueueConfig {
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
}

/** Receives each batch; the owner calls release(slot) when the slot's batch is done. */
export type DispatchBatch<L extends string, T> = (lane: L, items: T[], slot: number) => void;

export interface BatcherOptions<L extends string, T> {
  readonly lanes: readonly L[];
  readonly slots: number;
  readonly dispatch: DispatchBatch<L, T>;
  readonly timers?: BatcherTimers;
  readonly initial?: QueueConfig;
}

// A timer may fire a fraction of a millisecond before the clock says the deadline passed.
const DEADLINE_SLACK_MS = 0.05;

/** FIFO with an advancing head, compacted now and then, so dequeuing is not O(n). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  take(count: number): T[] {
    const taken = this.items.slice(this.head, this.head + count);
    this.head += taken.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }
  takeAll(): T[] {
    return this.take(this.size);
  }
}

interface StaticBatch<L, T> {
  readonly lane: L;
  readonly items: T[];
  readonly tEnqueueMs: number;
}

export class DynamicBatcher<L extends string, T extends QueuedItem> {
  private readonly queues = new Map<L, { config: QueueConfig; fifo: Fifo<T> }>();
  private readonly staticBatches = new Fifo<StaticBatch<L, T>>();
  private readonly freeSlots: number[] = [];
  private readonly timers: BatcherTimers;
  private readonly dispatch: DispatchBatch<L, T>;
  private timer: unknown;
  private timerDueMs = Infinity;
  private live: number;
  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerDueMs = Infinity;
    this.pump();
  };

  constructor(options: BatcherOptions<L, T>) {
    if (!Number.isInteger(options.slots) || options.slots < 1)
      throw new RangeError(`slots must be a positive integer, got ${options.slots}`);
    this.timers = options.timers ?? realTimers;
    this.dispatch = options.dispatch;
    const config = options.initial ?? { maxBatchSize: 1, maxQueueDelayMs: 0 };
    for (const lane of options.lanes) this.queues.set(lane, { config: checked(config), fifo: new Fifo<T>() });
    for (let slot = 0; slot < options.slots; slot++) this.freeSlots.push(slot);
    this.live = options.slots;
  }

  /** Slots still able to run batches (retired ones excluded). */
  get liveSlots(): number {
    return this.live;
  }

  queued(lane: L): number {
    return this.queue(lane).fifo.size;
  }

  configure(lane: L, config: QueueConfig): void {
    this.queue(lane).config = checked(config);
    this.pump();
  }

  enqueue(lane: L, item: T): void {
    item.tEnqueueMs = this.timers.now();
    this.queue(lane).fifo.push(item);
    this.pump();
  }

  /** Exactly these items in one call, whatever the lane's maxBatchSize, on the next free slot. */
  enqueueBatch(lane: L, items: T[]): void {
    const now = this.timers.now();
    for (const item of items) item.tEnqueueMs = now;
    this.staticBatches.push({ lane, items, tEnqueueMs: now });
    this.pump();
  }

  release(slot: number): void {
    this.freeSlots.push(slot);
    this.pump();
  }

  /** The slot's instance is gone: it never runs another batch. */
  retire(slot: number): void {
    const index = this.freeSlots.indexOf(slot);
    if (index >= 0) this.freeSlots.splice(index, 1);
    this.live -= 1;
  }

  /** Removes and returns everything queued (e.g. to fail it when no slot is left). */
  drain(): T[] {
    const drained: T[] = [];
    for (const batch of this.staticBatches.takeAll()) drained.push(...batch.items);
    for (const { fifo } of this.queues.values()) drained.push(...fifo.takeAll());
    return drained;
  }

  close(): void {
    if (this.timer !== undefined) this.timers.clearTimer(this.timer);
    this.timer = undefined;
    this.timerDueMs = Infinity;
  }

  private queue(lane: L): { config: QueueConfig; fifo: Fifo<T> } {
    const queue = this.queues.get(lane);
    if (!queue) throw new RangeError(`unknown batcher lane "${lane}"`);
    return queue;
  }

  private pump(): void {
    if (this.freeSlots.length === 0) return;
    const now = this.timers.now();
    let nextDueMs = Infinity;
    while (this.freeSlots.length > 0) {
      // The oldest ready head goes first: static batches and every lane compete by age.
      let bestLane: L | undefined;
      let bestAgeMs = -Infinity;
      const staticHead = this.staticBatches.peek();
      if (staticHead) bestAgeMs = now - staticHead.tEnqueueMs;
      nextDueMs = Infinity;
      for (const [lane, { config, fifo }] of this.queues) {
        const head = fifo.peek();
        if (!head) continue;
        const ageMs = now - head.tEnqueueMs;
        const ready = fifo.size >= config.maxBatchSize || ageMs + DEADLINE_SLACK_MS >= config.maxQueueDelayMs;
        if (!ready) nextDueMs = Math.min(nextDueMs, head.tEnqueueMs + config.maxQueueDelayMs);
        else if (ageMs > bestAgeMs) {
          bestAgeMs = ageMs;
          bestLane = lane;
        }
      }
      const slot = this.freeSlots[0];
      if (slot === undefined || (bestLane === undefined && !staticHead)) break;
      this.freeSlots.shift();
      if (bestLane === undefined) {
        const batch = this.staticBatches.take(1)[0] as StaticBatch<L, T>;
        this.dispatch(batch.lane, batch.items, slot);
      } else {
        const { config, fifo } = this.queue(bestLane);
        this.dispatch(bestLane, fifo.take(config.maxBatchSize), slot);
      }
    }
    if (this.freeSlots.length > 0 && nextDueMs < this.timerDueMs) this.armTimer(nextDueMs, now);
  }

  private armTimer(dueMs: number, now: number): void {
    if (this.timer !== undefined) this.timers.clearTimer(this.timer);
    this.timerDueMs = dueMs;
    this.timer = this.timers.setTimer(this.onTimer, Math.max(0, dueMs - now));
  }
}

function checked(config: QueueConfig): QueueConfig {
  if (!Number.isInteger(config.maxBatchSize) || config.maxBatchSize < 1) {
    throw new RangeError(`maxBatchSize must be a positive integer, got ${config.maxBatchSize}`);
  }
  if (!(config.maxQueueDelayMs >= 0)) throw new RangeError(`maxQueueDelayMs must be >= 0, got ${config.maxQueueDelayMs}`);
  return { maxBatchSize: config.maxBatchSize, maxQueueDelayMs: config.maxQueueDelayMs };
}
