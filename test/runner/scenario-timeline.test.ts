import { describe, expect, it } from 'vitest';
import { TimelineFold, timelineWindowOf } from '../../src/runner/scenario-timeline.js';
import type { ItemResult } from '../../src/core/item-result.js';

const item = (tArrivalMs: number, tResponseMs: number, ok = true, errorClass?: string): ItemResult => ({
  ok,
  ...(errorClass === undefined ? {} : { errorClass }),
  tArrivalMs,
  tResponseMs,
  queueMs: 0,
  inferenceMs: 0,
  batchSize: 1,
});

describe('TimelineFold', () => {
  it('closes windows on time (empty ones too), each handed out once, with the level at its middle', () => {
    const fold = new TimelineFold(1000, 100, (ms) => ms - 1000);
    fold.add(item(1000, 1010));
    fold.add(item(1000, 1050, false, 'timeout'));
    expect(fold.closeUntil(1099)).toEqual([]);
    const closed = fold.closeUntil(1320);
    expect(closed.map(({ stat: w, level }) => [w.startMs, w.endMs, level, w.completed, w.errors])).toEqual([
      [1000, 1100, 50, 1, 1],
      [1100, 1200, 150, 0, 0],
      [1200, 1300, 250, 0, 0],
    ]);
    expect(closed[0]!.stat.e2eP95Ms).toBeCloseTo(10, 1);
    expect(closed[1]!.stat.e2eP95Ms).toBeNull();
    // The live event's window carries the e2e sum and the errors by class; the report's timeline does not.
    expect(closed[0]!.stat).toMatchObject({ e2eSumMs: 10, errorsByClass: { timeout: 1 } });
    expect(closed[1]!.stat.errorsByClass).toBeUndefined();
    expect(fold.closeUntil(1350)).toEqual([]);
  });

  it('an item closing windows by its response time still hands them out; a late item counts in its window', () => {
    const fold = new TimelineFold(0, 100, () => 1);
    fold.add(item(0, 250));
    fold.add(item(0, 50)); // responded in a window the previous item closed
    const handed = fold.closeUntil(260);
    expect(handed.map((w) => w.stat.completed)).toEqual([1, 0]);
    const rest = fold.finish(280);
    expect(rest).toHaveLength(1);
    expect(rest[0]!.stat).toMatchObject({ startMs: 200, endMs: 280, completed: 1 });
    // The late item's latency reached the open window (as WindowFolder does).
    expect(rest[0]!.stat.e2eP95Ms).toBeCloseTo(250, 0);
    expect(fold.windows().map((w) => w.completed)).toEqual([1, 0, 1]);
    expect(timelineWindowOf(rest[0]!)).toMatchObject({
      startMs: 200,
      endMs: 280,
      level: 1,
      completed: 1,
      errors: 0,
      p95Ms: rest[0]!.stat.e2eP95Ms,
    });
    fold.add(item(0, 290));
    expect(fold.finish(400)).toEqual([]);
    expect(fold.windows().reduce((sum, w) => sum + w.completed, 0)).toBe(2);
  });

  it('with nothing recorded, finish gives one empty window ending at the end; rejects a bad window length', () => {
    const fold = new TimelineFold(0, 100, () => 0);
    const empty = { startMs: 0, endMs: 40, level: 0, completed: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null };
    expect(fold.finish(40).map(timelineWindowOf)).toEqual([empty]);
    expect(fold.windows()).toEqual([empty]);
    expect(() => new TimelineFold(0, 0, () => 0)).toThrow(RangeError);
  });
});
