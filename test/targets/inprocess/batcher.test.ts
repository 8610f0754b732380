import { describe, expect, it } from 'vitest';
import { DynamicBatcher, type BatcherTimers } from '../../../src/targets/inprocess/batcher.js';

/** A clock that only moves when told; timers fire in due order as it passes them. */
class FakeClock implements BatcherTimers {
  nowMs = 1000;
  private timers: { dueMs: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  now = (): number => this.nowMs;
  setTimer = (callback: () => void, delayMs: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ dueMs: this.nowMs + delayMs, callback, id });
    return id;
  };
  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.dueMs <= end).sort((a, b) => a.dueMs - b.dueMs)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.nowMs = due.dueMs;
      due.callback();
    }
    this.nowMs = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

interface Item {
  tEnqueueMs: number;
  readonly n: number;
}
type Lane = 'classify' | 'generate';
interface Call {
  readonly lane: Lane;
  readonly items: number[];
  readonly slot: number;
  readonly atMs: number;
  readonly enqueuedMs: number[];
}

function setup(slots: number, maxBatchSize: number, maxQueueDelayMs: number) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const batcher = new DynamicBatcher<Lane, Item>({
    lanes: ['classify', 'generate'],
    slots,
    timers: clock,
    initial: { maxBatchSize, maxQueueDelayMs },
    dispatch: (lane, items, slot) =>
      calls.push({ lane, items: items.map((i) => i.n), slot, atMs: clock.nowMs, enqueuedMs: items.map((i) => i.tEnqueueMs) }),
  });
  let n = 0;
  const add = (count: number, lane: Lane = 'classify'): void => {
    for (let i = 0; i < count; i++) batcher.enqueue(lane, { tEnqueueMs: 0, n: n++ });
  };
  return { clock, calls, batcher, add };
}

describe('DynamicBatcher', () => {
  it('dispatches as soon as the queue holds maxBatchSize items, never more per call', () => {
    const { clock, calls, batcher, add } = setup(1, 4, 50);
    add(3);
    expect(calls).toHaveLength(0);
    add(1);
    expect(calls).toEqual([{ lane: 'classify', items: [0, 1, 2, 3], slot: 0, atMs: 1000, enqueuedMs: [1000, 1000, 1000, 1000] }]);
    add(9); // slot busy: they wait
    expect(calls).toHaveLength(1);
    batcher.release(0);
    expect(calls[1]?.items).toEqual([4, 5, 6, 7]);
    batcher.release(0);
    expect(calls[2]?.items).toEqual([8, 9, 10, 11]);
    batcher.release(0);
    expect(calls).toHaveLength(3); // one left, younger than the delay
    clock.advance(50);
    expect(calls[3]).toMatchObject({ items: [12], atMs: 1050 });
  });

  it('flushes a partial batch when its oldest item has waited maxQueueDelayMs, stamping enqueue times', () => {
    const { clock, calls, add } = setup(1, 8, 10);
    add(1);
    clock.advance(4);
    add(2);
    clock.advance(5.9);
    expect(calls).toHaveLength(0);
    clock.advance(0.1);
    expect(calls).toEqual([{ lane: 'classify', items: [0, 1, 2], slot: 0, atMs: 1010, enqueuedMs: [1000, 1004, 1004] }]);
    expect(clock.pending).toBe(0);
  });

  it('with maxQueueDelayMs 0 dispatches immediately whatever is queued', () => {
    const { calls, batcher, add } = setup(1, 8, 0);
    add(1);
    expect(calls[0]?.items).toEqual([0]);
    add(5); // the slot is busy: these accumulate
    batcher.release(0);
    expect(calls[1]?.items).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps up to one batch in flight per instance, on distinct slots, in FIFO order', () => {
    const { calls, batcher, add } = setup(3, 2, 0);
    add(8);
    expect(calls.map((c) => [c.slot, c.items])).toEqual([
      [0, [0]],
      [1, [1]],
      [2, [2]],
    ]);
    batcher.release(1);
    batcher.release(0);
    expect(calls.slice(3).map((c) => [c.slot, c.items])).toEqual([
      [1, [3, 4]],
      [0, [5, 6]],
    ]);
    expect(batcher.queued('classify')).toBe(1);
  });

  it('serves lanes oldest head first and gives a static batch exactly its items', () => {
    const { clock, calls, batcher, add } = setup(1, 2, 0);
    add(1, 'classify'); // runs at once
    clock.advance(1);
    add(1, 'generate');
    clock.advance(1);
    batcher.enqueueBatch(
      'classify',
      [5, 6, 7, 8, 9].map((n) => ({ tEnqueueMs: 0, n: 100 + n })),
    );
    clock.advance(1);
    add(2, 'classify');
    batcher.release(0);
    expect(calls[1]).toMatchObject({ lane: 'generate', items: [1] });
    batcher.release(0);
    expect(calls[2]).toMatchObject({ lane: 'classify', items: [105, 106, 107, 108, 109], enqueuedMs: [1002, 1002, 1002, 1002, 1002] });
    batcher.release(0);
    expect(calls[3]).toMatchObject({ lane: 'classify', items: [2, 3], atMs: 1003 });
  });

  it('applies a new configuration between steps', () => {
    const { clock, calls, batcher, add } = setup(1, 4, 0);
    add(1);
    batcher.release(0);
    batcher.configure('classify', { maxBatchSize: 2, maxQueueDelayMs: 20 });
    add(3);
    expect(calls.map((c) => c.items)).toEqual([[0], [1, 2]]);
    batcher.release(0);
    clock.advance(19);
    expect(calls).toHaveLength(2);
    clock.advance(1);
    expect(calls[2]?.items).toEqual([3]);
    expect(() => batcher.configure('classify', { maxBatchSize: 0, maxQueueDelayMs: 0 })).toThrow(RangeError);
  });

  it('a retired slot never gets another batch; drain hands back everything queued', () => {
    const { calls, batcher, add } = setup(2, 1, 0);
    batcher.retire(1);
    expect(batcher.liveSlots).toBe(1);
    add(3);
    expect(calls.map((c) => c.slot)).toEqual([0]);
    batcher.enqueueBatch('generate', [{ tEnqueueMs: 0, n: 50 }]);
    expect(batcher.drain().map((i) => i.n)).toEqual([50, 1, 2]);
    batcher.release(0);
    expect(calls).toHaveLength(1);
  });
});
