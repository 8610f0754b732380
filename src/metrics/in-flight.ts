/**
 * A time-weighted count of sends in flight: each change adds count x elapsed to an area, so the
 * mean in flight over any span is (area at its end - area at its start) / its length. Two float
 * operations per send and per return; no timer, no allocation.
 */
import type { InFlightFigures } from '../core/measurement.js';

export class InFlightGauge {
  private count = 0;
  private areaMs = 0;
  private lastMs = Number.NaN;

  /** Sends in flight now. */
  get inFlight(): number {
    return this.count;
  }

  /** `units` went out at `atMs` (one request, or a static batch's items). */
  up(atMs: number, units = 1): void {
    this.advance(atMs);
    this.count += units;
  }

  /** `units` came back at `atMs`. */
  down(atMs: number, units = 1): void {
    this.advance(atMs);
    this.count -= units;
  }

  /** The integral of the count over time (count x ms) from the first send to `atMs`. */
  areaAt(atMs: number): number {
    return Number.isNaN(this.lastMs) || atMs <= this.lastMs ? this.areaMs : this.areaMs + this.count * (atMs - this.lastMs);
  }

  /** Stamps from callbacks can arrive a hair out of order: an earlier one changes the count but adds no area. */
  private advance(atMs: number): void {
    if (Number.isNaN(this.lastMs)) this.lastMs = atMs;
    if (atMs <= this.lastMs) return;
    this.areaMs += this.count * (atMs - this.lastMs);
    this.lastMs = atMs;
  }
}

/** Reads a gauge over one span: mark its start, then its end. */
export class InFlightSpan {
  private startMs: number | null = null;
  private startAreaMs = 0;
  private figures: InFlightFigures | null = null;

  constructor(private readonly gauge: InFlightGauge) {}

  start(atMs: number): void {
    if (this.startMs !== null) return;
    this.startMs = atMs;
    this.startAreaMs = this.gauge.areaAt(atMs);
  }

  end(atMs: number): void {
    if (this.startMs === null || this.figures !== null) return;
    this.figures = { areaMs: this.gauge.areaAt(atMs) - this.startAreaMs, spanMs: Math.max(0, atMs - this.startMs) };
  }

  /** null until both ends were marked. */
  get result(): InFlightFigures | null {
    return this.figures;
  }
}
