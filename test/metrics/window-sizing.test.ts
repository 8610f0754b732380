import { describe, expect, it } from 'vitest';
import { CALLS_TO_SIZE, callWindowRule, GRAIN_MS, MIN_CALLS_PER_WINDOW, sizedWindowMs } from '../../src/metrics/window-sizing.js';
import { WindowFolder } from '../../src/metrics/windows.js';

const rule = callWindowRule();

describe('sizedWindowMs: windows that hold ~20 model calls', () => {
  it('waits for the floor and for a few calls before it sizes anything', () => {
    expect(sizedWindowMs(500, 999, rule)).toBeNull(); // many calls, but under the 1 s floor
    expect(sizedWindowMs(CALLS_TO_SIZE - 0.5, 5000, rule)).toBeNull(); // 5 s, too few calls to tell a rate
    expect(sizedWindowMs(CALLS_TO_SIZE, 1000, rule)).not.toBeNull();
  });

  it('fast calls keep the 1 s floor; slow ones get as long as 20 calls take, rounded up to the grain', () => {
    expect(sizedWindowMs(140, 1000, rule)).toBe(1000); // batch 1, ~7 ms a call: 20 calls in 140 ms
    // Batch 64, 270 ms a call: 4 calls by 1.08 s -> 20 calls take 5.4 s.
    expect(sizedWindowMs(4, 1080, rule)).toBe(5400);
    // 3 calls in 1.01 s: 20 take 6733 ms, rounded up to 6800.
    expect(sizedWindowMs(3, 1010, rule)).toBe(6800);
    expect(6800 % GRAIN_MS).toBe(0);
    // Calls counted as items / batch size: 10 items of batch 4 = 2.5 calls, then 20 items = 5 calls.
    expect(sizedWindowMs(5, 1000, rule)).toBe((1000 / 5) * MIN_CALLS_PER_WINDOW);
  });

  it('never asks for more than the ceiling, nor ends the first window before a response it already holds', () => {
    const capped = callWindowRule(4000);
    expect(sizedWindowMs(3, 1000, capped)).toBe(4000); // 20 calls would take 6.7 s
    // The first window waited 9.05 s for its 3 calls and holds a response at 9.04 s: it ends after it.
    expect(sizedWindowMs(3, 9050, capped, 9040)).toBe(9100);
    // Sized by the first item past the floor: the ones before it are all inside the floor.
    expect(sizedWindowMs(400, 1003, rule, 999)).toBe(1000);
  });
});

describe('WindowFolder sized by calls', () => {
  it('keeps the first window open until sized, then every window holds ~20 calls', () => {
    const folder = new WindowFolder(callWindowRule());
    folder.start(0);
    // Batch-8 calls every 250 ms: 8 items each, 1/8 of a call per item.
    for (let call = 1; call <= 40; call++) {
      for (let item = 0; item < 8; item++) folder.add(call * 250, true, 250_000, undefined, 1 / 8);
    }
    // Sized by the first item at 1 s or later: the 4th call's first item, so 3 + 1/8 calls in 1000 ms,
    // 320 ms a call: 20 calls take 6400 ms.
    expect(folder.windowMs).toBe(6400);
    const windows = folder.stats(10_000);
    expect(windows.map((w) => [w.startMs, w.endMs])).toEqual([
      [0, 6400],
      [6400, 10_000],
    ]);
    // Calls 1-25 (t <= 6250) in the first window, 26-40 in the second (cut short by the end).
    expect(windows.map((w) => w.completed)).toEqual([25 * 8, 15 * 8]);
  });

  it('a step that ends before the rate is known has one window from the first arrival to its end', () => {
    const folder = new WindowFolder(callWindowRule());
    folder.start(100);
    folder.add(400, true, 300_000, undefined, 1 / 64);
    expect(folder.windowMs).toBe(Number.POSITIVE_INFINITY);
    expect(folder.closedCount).toBe(0);
    expect(folder.stats(700).map((w) => [w.startMs, w.endMs, w.completed])).toEqual([[100, 700, 1]]);
  });
});
