import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../src/telemetry/server-metrics/exposition.js';
import { ScrapeStore } from '../../../src/telemetry/server-metrics/scrape-store.js';
import { counterIncrease, gaugeStats, histogramQuantile } from '../../../src/telemetry/server-metrics/step-window.js';

function storeOf(pages: readonly (readonly [number, string])[]): ScrapeStore {
  const store = new ScrapeStore();
  for (const [tMs, text] of pages) store.ingest(tMs, parseExposition(text));
  return store;
}

const idOf = (store: ScrapeStore, key: string): number => store.series.findIndex((s) => s.key === key);

describe('counterIncrease', () => {
  it('interpolates the increase to the window boundaries', () => {
    const store = storeOf([
      [0, 'c_total 0'],
      [1000, 'c_total 100'],
      [2000, 'c_total 300'],
    ]);
    const id = idOf(store, 'c_total');
    expect(counterIncrease(store.scrapes, id, { fromMs: 0, toMs: 2000 })).toBe(300);
    expect(counterIncrease(store.scrapes, id, { fromMs: 500, toMs: 1500 })).toBe(50 + 100);
    expect(counterIncrease(store.scrapes, id, { fromMs: 3000, toMs: 4000 })).toBeNull();
  });

  it('treats a fall as a restart from zero: never a negative increase', () => {
    const store = storeOf([
      [0, 'c_total 500'],
      [1000, 'c_total 600'],
      [2000, 'c_total 40'],
      [3000, 'c_total 90'],
    ]);
    const increase = counterIncrease(store.scrapes, idOf(store, 'c_total'), { fromMs: 0, toMs: 3000 });
    expect(increase).toBe(100 + 40 + 50);
  });
});

describe('gaugeStats', () => {
  it('averages the scrapes inside the window and sums label sets per scrape', () => {
    const store = storeOf([
      [0, 'g{e="0"} 1\ng{e="1"} 1'],
      [1000, 'g{e="0"} 4\ng{e="1"} 2'],
      [2000, 'g{e="0"} 8\ng{e="1"} 0'],
    ]);
    const ids = store.series.map((_, id) => id);
    expect(gaugeStats(store.scrapes, ids, { fromMs: 500, toMs: 2000 })).toEqual({ mean: (6 + 8) / 2, max: 8, scrapes: 2 });
    // No scrape inside: the value at the window's middle, interpolated.
    expect(gaugeStats(store.scrapes, ids, { fromMs: 100, toMs: 300 })).toEqual({ mean: 2 + (4 * 200) / 1000, max: 2.8, scrapes: 0 });
  });
});

describe('histogramQuantile', () => {
  it('matches Prometheus: linear within the bucket, +Inf answered with the highest finite bound', () => {
    const buckets = new Map([
      [0.1, 10],
      [0.2, 30],
      [0.4, 40],
      [Infinity, 40],
    ]);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1 + 0.1 * (10 / 20), 12);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(0.1, buckets)).toBeCloseTo(0.04, 12);
    expect(
      histogramQuantile(
        0.99,
        new Map([
          [1, 1],
          [Infinity, 100],
        ]),
      ),
    ).toBe(1);
    expect(
      histogramQuantile(
        0.5,
        new Map([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNull();
    expect(histogramQuantile(0.5, new Map([[1, 5]]))).toBeNull();
  });
});

describe('ScrapeStore', () => {
  it('keeps the last scrape before a pruned time so the next window still has its start bracketed', () => {
    const store = storeOf([
      [0, 'c_total 0'],
      [1000, 'c_total 10'],
      [2000, 'c_total 20'],
      [3000, 'c_total 30'],
    ]);
    store.pruneBefore(2500);
    expect(store.scrapes.map((row) => row.tMs)).toEqual([2000, 3000]);
    expect(counterIncrease(store.scrapes, 0, { fromMs: 2500, toMs: 3000 })).toBe(5);
  });

  it('gives series that appear later their own column without disturbing earlier rows', () => {
    const store = storeOf([
      [0, 'a 1'],
      [1000, 'a 2\nb_total 5'],
      [2000, 'b_total 7'],
    ]);
    expect(store.series.map((s) => [s.key, s.kind])).toEqual([
      ['a', 'gauge'],
      ['b_total', 'counter'],
    ]);
    expect(counterIncrease(store.scrapes, 1, { fromMs: 0, toMs: 2000 })).toBe(2);
    expect(gaugeStats(store.scrapes, [0], { fromMs: 0, toMs: 2000 })?.mean).toBe(1.5);
  });
});
