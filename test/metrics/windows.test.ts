import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { WindowFolder } from '../../src/metrics/windows.js';

describe('WindowFolder closing on time', () => {
  it('closeUntil closes windows nothing responded in, and closed(from) returns only the newer ones', () => {
    const folder = new WindowFolder(100);
    folder.start(1000);
    folder.add(1050, true, 20_000);
    folder.closeUntil(1350); // windows 0..2 ended by 1300: closed; window 3 open
    expect(folder.closedCount).toBe(3);
    expect(folder.closed().map((w) => [w.startMs, w.completed, w.e2eP95Ms === null ? null : Math.round(w.e2eP95Ms)])).toEqual([
      [1000, 1, 20],
      [1100, 0, null],
      [1200, 0, null],
    ]);
    expect(folder.closed(2).map((w) => w.startMs)).toEqual([1200]);
    folder.closeUntil(1320); // earlier cutoff: nothing moves back
    expect(folder.closedCount).toBe(3);
  });

  it('extendTo reaches the window holding the end, so stats(end) ends there even when it is empty', () => {
    const folder = new WindowFolder(100);
    folder.start(0);
    folder.add(10, false, 0);
    folder.extendTo(250);
    expect(folder.stats(250).map((w) => [w.startMs, w.endMs, w.errors])).toEqual([
      [0, 100, 1],
      [100, 200, 0],
      [200, 250, 0],
    ]);
    folder.extendTo(200); // on a boundary: the window ending there is the last
    expect(folder.stats(250)).toHaveLength(3);
  });

  it("keeps each window its answered items' e2e sum and its failures by class (a window without failures has no map)", () => {
    const folder = new WindowFolder(100, 1);
    folder.start(0);
    folder.add(10, true, 20_000);
    folder.add(20, true, 5_500);
    folder.add(30, false, 0, 'timeout');
    folder.add(40, false, 0, 'http_503');
    folder.add(50, false, 0, 'timeout');
    folder.add(60, false, 0); // no class given
    folder.add(150, true, 1_000);
    const [first, second] = folder.stats(200);
    expect(first).toMatchObject({ completed: 2, errors: 4, e2eSumMs: 25.5, errorsByClass: { http_503: 1, timeout: 2, unknown: 1 } });
    expect(Object.keys(first!.errorsByClass!)).toEqual(['http_503', 'timeout', 'unknown']);
    expect(second).toMatchObject({ completed: 1, errors: 0, e2eSumMs: 1 });
    expect(second).not.toHaveProperty('errorsByClass');
    // Closed windows read the same, and carry their e2e histogram (the stability judge pools it).
    expect(folder.closed()[0]).toEqual({ ...first, e2eHistogram: expect.any(String) });
    expect(decodeHistogram(folder.closed()[0]!.e2eHistogram!).totalCount).toBe(2);
    expect(first).not.toHaveProperty('e2eHistogram');
  });

  it('counts the model calls behind each window: an item of a batch of 4 is a quarter of a call', () => {
    const folder = new WindowFolder(100);
    folder.start(0);
    for (let i = 0; i < 4; i++) folder.add(10, true, 2_000, undefined, 1 / 4);
    folder.add(20, true, 1_000); // a call of its own
    folder.add(30, false, 0, 'timeout', 1 / 4); // failed items are no answered call
    for (let i = 0; i < 3; i++) folder.add(150, true, 3_000, undefined, 1 / 3);
    const [first, second] = folder.stats(200);
    expect(first?.calls).toBe(2);
    expect(second?.calls).toBe(1);
  });

  it('keeps the e2e histograms of the last n closed windows only (what stability judges), so a long run holds n, not one per window', () => {
    const folder = new WindowFolder(100, 3);
    folder.start(0);
    for (let window = 0; window < 50; window++) folder.add(window * 100 + 10, true, 1_000 * (window + 1));
    folder.add(5_010, true, 1_000); // opens window 50: windows 0-49 are closed
    const closed = folder.closed();
    expect(closed).toHaveLength(50);
    expect(closed.map((w, i) => (w.e2eHistogram === undefined ? null : i)).filter((i) => i !== null)).toEqual([47, 48, 49]);
    // The kept ones are the windows' own: window 49 holds its one answer of 50 ms.
    expect(decodeHistogram(closed[49]!.e2eHistogram!).maxValue).toBeGreaterThanOrEqual(50_000);
    // A jump over 40 empty windows releases every window that fell out, not only the one before the last n.
    folder.add(9_010, true, 1_000);
    expect(folder.closed()).toHaveLength(90);
    expect(folder.closed().some((w) => w.e2eHistogram !== undefined)).toBe(false);
    // 0 (a scenario's timeline) keeps none; 'all' (a worker's windows, merged later) keeps every one, in stats too.
    const none = new WindowFolder(100);
    const all = new WindowFolder(100, 'all');
    for (const folded of [none, all]) {
      folded.start(0);
      for (let window = 0; window < 5; window++) folded.add(window * 100 + 10, true, 1_000);
    }
    expect(none.closed().some((w) => w.e2eHistogram !== undefined)).toBe(false);
    expect(all.closed().every((w) => w.e2eHistogram !== undefined)).toBe(true);
    expect(all.stats(500).every((w) => w.e2eHistogram !== undefined)).toBe(true);
  });
});
