/**
 * One window's reading of one endpoint's scrapes, by metric name: counters summed over their
 * label sets, gauges summed per scrape, histograms merged across label sets. It remembers which
 * series a mapping read, so `raw` keeps every other one. Pure.
 */
import type { ServerDistribution } from '../../core/report/server-metrics.js';
import type { ScrapeRow, SeriesInfo } from './scrape-store.js';
import {
  bucketIncreases,
  counterIncrease,
  gaugeStats,
  histogramDistribution,
  sumIncrease,
  type GaugeStats,
  type Window,
} from './step-window.js';

export class StepView {
  private readonly used = new Set<number>();
  private readonly byName = new Map<string, number[]>();

  constructor(
    readonly rows: readonly ScrapeRow[],
    readonly series: readonly SeriesInfo[],
    readonly window: Window,
  ) {
    series.forEach((info, id) => {
      const ids = this.byName.get(info.name);
      if (ids === undefined) this.byName.set(info.name, [id]);
      else ids.push(id);
    });
  }

  private ids(name: string): readonly number[] {
    const ids = this.byName.get(name) ?? [];
    for (const id of ids) this.used.add(id);
    return ids;
  }

  /** The increase of a counter (all its label sets) over the window; null when not exposed. */
  counter(name: string): number | null {
    const ids = this.ids(name);
    return ids.length === 0 ? null : sumIncrease(this.rows, ids, this.window);
  }

  gauge(name: string): GaugeStats | null {
    const ids = this.ids(name);
    return ids.length === 0 ? null : gaugeStats(this.rows, ids, this.window);
  }

  /** A histogram family's distribution in the window, values times `scale`; null when not exposed. */
  histogram(family: string, scale: number): ServerDistribution | null {
    const bucketIds = this.ids(`${family}_bucket`);
    const buckets = bucketIds.flatMap((id) => {
      const le = this.series[id]!.le;
      return le === null ? [] : [{ id, le }];
    });
    const sumIds = this.ids(`${family}_sum`);
    const countIds = this.ids(`${family}_count`);
    if (buckets.length === 0 && countIds.length === 0) return null;
    const increases = buckets.length === 0 ? null : bucketIncreases(this.rows, buckets, this.window);
    const sum = sumIds.length === 0 ? null : sumIncrease(this.rows, sumIds, this.window);
    const count = countIds.length === 0 ? null : sumIncrease(this.rows, countIds, this.window);
    return histogramDistribution(increases, sum, count, scale);
  }

  /** Marks series read elsewhere (a remote GPU) as used. */
  markUsed(names: readonly string[]): void {
    for (const name of names) this.ids(name);
  }

  /** Every series no mapping read: a counter's increase or a gauge's mean over the window. */
  raw(): Record<string, number> {
    const out: Record<string, number> = {};
    this.series.forEach((info, id) => {
      if (this.used.has(id)) return;
      const value =
        info.kind === 'counter' ? counterIncrease(this.rows, id, this.window) : (gaugeStats(this.rows, [id], this.window)?.mean ?? null);
      if (value !== null && Number.isFinite(value)) out[info.key] = value;
    });
    return out;
  }
}
