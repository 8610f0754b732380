import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../src/core/item-result.js';
import { meanInFlight, type StepMeasurement, type WindowStat } from '../../src/core/measurement.js';
import { mergeConcurrentMeasurements, mergeWindowLists } from '../../src/metrics/measurement-merge.js';
import { StepRecorder } from '../../src/metrics/recorder.js';
import { mulberry32 } from '../../src/random.js';

const ORIGIN_MS = 1_000_000;

function item(arrivalMs: number, latencyMs: number, ok: boolean): ItemResult {
  const base = {
    tArrivalMs: arrivalMs,
    tResponseMs: arrivalMs + latencyMs,
    queueMs: latencyMs / 4,
    inferenceMs: latencyMs / 2,
    batchSize: 1,
  };
  return ok ? { ok, ...base, outputTokens: 3 } : { ok, errorClass: 'http_5xx', ...base };
}

/**
 * Three "workers" measuring at the same time (overlapping arrivals, different latency mixes), on
 * one shared window grid; `all` records every one of their items in one recorder on that grid.
 */
function concurrentParts(): { parts: StepMeasurement[]; all: StepMeasurement } {
  const random = mulberry32(7);
  const all = new StepRecorder({ clock: () => ORIGIN_MS, sharedWindowOriginMs: ORIGIN_MS });
  const recorders = [0, 1, 2].map(() => new StepRecorder({ clock: () => ORIGIN_MS, sharedWindowOriginMs: ORIGIN_MS }));
  // In response order, as a recorder sees them; every worker's first arrival is at the origin.
  const items: { worker: number; result: ItemResult }[] = [];
  for (let worker = 0; worker < 3; worker++) {
    for (let i = 0; i < 400; i++) {
      const arrivalMs = ORIGIN_MS + (i === 0 ? 0 : random() * 4000);
      const latencyMs = worker === 2 ? 50 + random() * 400 : 1 + random() * (worker + 1) * 20;
      items.push({ worker, result: item(arrivalMs, latencyMs, random() > 0.02) });
    }
  }
  items.sort((a, b) => a.result.tResponseMs - b.result.tResponseMs);
  for (const { worker, result } of items) {
    recorders[worker]!.record(result);
    all.record(result);
  }
  return { parts: recorders.map((r) => r.finish()), all: all.finish() };
}

const withoutHistogram = (w: WindowStat): Omit<WindowStat, 'e2eHistogram'> => {
  const { e2eHistogram: _dropped, ...rest } = w;
  return rest;
};

describe('mergeConcurrentMeasurements', () => {
  it('equals one recorder of every item: counts, every latency phase and percentile, windows, throughput over the common window', () => {
    const { parts, all } = concurrentParts();
    const merged = mergeConcurrentMeasurements(parts);
    expect(merged.completed).toBe(all.completed);
    expect(merged.errors).toEqual(all.errors);
    expect(merged.latencyMs).toEqual(all.latencyMs);
    expect(merged.latencyMs.e2e!.count).toBe(all.completed);
    expect(merged.histograms).toEqual(all.histograms);
    expect(merged.startedAtMs).toBe(all.startedAtMs);
    expect(merged.endedAtMs).toBe(all.endedAtMs);
    expect(merged.measuredMs).toBe(all.measuredMs);
    expect(merged.throughput.itemsPerSec).toBeCloseTo(all.throughput.itemsPerSec, 9);
    expect(merged.throughput.outputTokensPerSec).toBeCloseTo(all.throughput.outputTokensPerSec!, 6);
    // Throughput is all items over the common window, not the sum of the parts' own rates.
    const summedRates = parts.reduce((sum, p) => sum + p.throughput.itemsPerSec, 0);
    expect(merged.throughput.itemsPerSec).toBeLessThan(summedRates);
    expect(merged.windows.length).toBeGreaterThan(3);
    expect(merged.windows.map(withoutHistogram)).toEqual(all.windows.map(withoutHistogram));
    // Each merged window keeps its histogram, so a merge of merges is exact too.
    expect(merged.windows.every((w) => w.completed === 0 || typeof w.e2eHistogram === 'string')).toBe(true);
    const again = mergeConcurrentMeasurements([mergeConcurrentMeasurements(parts.slice(0, 2)), parts[2]!]);
    expect(again.latencyMs).toEqual(all.latencyMs);
    expect(again.windows.map(withoutHistogram)).toEqual(all.windows.map(withoutHistogram));
  });

  it('one part is returned as it is; a part that recorded nothing adds nothing to the window', () => {
    const { parts } = concurrentParts();
    expect(mergeConcurrentMeasurements([parts[0]!])).toBe(parts[0]);
    const idle = new StepRecorder({ clock: () => ORIGIN_MS - 60_000, sharedWindowOriginMs: ORIGIN_MS }).finish();
    const merged = mergeConcurrentMeasurements([idle, parts[0]!]);
    expect(merged.startedAtMs).toBe(parts[0]!.startedAtMs);
    expect(merged.measuredMs).toBe(parts[0]!.measuredMs);
    expect(merged.completed).toBe(parts[0]!.completed);
    expect(() => mergeConcurrentMeasurements([])).toThrow(RangeError);
  });
  it("loads held at the same time add: the merged mean in flight is the sum of the parts' means; a part without one leaves it unknown", () => {
    const { parts } = concurrentParts();
    const held = [
      { ...parts[0]!, inFlight: { areaMs: 4000 * 3, spanMs: 4000 } },
      { ...parts[1]!, inFlight: { areaMs: 3900 * 5, spanMs: 3900 } },
    ];
    const merged = mergeConcurrentMeasurements(held);
    expect(meanInFlight(merged)).toBeCloseTo(8, 9);
    expect(merged.inFlight!.spanMs).toBe(4000);
    expect(mergeConcurrentMeasurements([held[0]!, parts[2]!]).inFlight).toBeUndefined();
  });
});

describe('mergeWindowLists', () => {
  const w = (startMs: number, completed: number, p95: number | null): WindowStat => ({
    startMs,
    endMs: startMs + 1000,
    completed,
    errors: 0,
    e2eP95Ms: p95,
  });

  it('drops windows that end before the first arrival and starts the first one at it', () => {
    const merged = mergeWindowLists([[w(0, 0, null), w(1000, 5, 2), w(2000, 5, 3)]], 1500);
    expect(merged.map((x) => [x.startMs, x.endMs])).toEqual([
      [1500, 2000],
      [2000, 3000],
    ]);
  });

  it('a window whose parts both hold items but lack histograms gets null percentiles, never a guess', () => {
    const [merged] = mergeWindowLists([[w(0, 5, 2)], [w(0, 7, 9)]], 0);
    expect(merged).toEqual({ startMs: 0, endMs: 1000, completed: 12, errors: 0, e2eP95Ms: null, e2eP50Ms: null, e2eP99Ms: null });
    // Only one part with items: its percentiles are the window's.
    expect(mergeWindowLists([[w(0, 5, 2)], [w(0, 0, null)]], 0)[0]!.e2eP95Ms).toBe(2);
  });

  it('refuses windows on different grids', () => {
    expect(() => mergeWindowLists([[w(0, 1, 1)], [w(500, 1, 1)]], 0)).toThrow(/one grid/);
  });
});
