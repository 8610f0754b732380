import { describe, expect, it } from 'vitest';
import { InFlightGauge, InFlightSpan } from '../../src/metrics/in-flight.js';
import { meanInFlight } from '../../src/core/measurement.js';

describe('InFlightGauge', () => {
  it('integrates the count over time: two sends out for 10 ms, then one for 5 ms', () => {
    const gauge = new InFlightGauge();
    gauge.up(100);
    gauge.up(100);
    gauge.down(110);
    expect(gauge.inFlight).toBe(1);
    expect(gauge.areaAt(110)).toBe(20);
    // Read between changes: the count so far runs on to the moment read.
    expect(gauge.areaAt(115)).toBe(25);
    gauge.down(115);
    expect(gauge.areaAt(200)).toBe(25);
  });

  it('counts a static batch as its items, and adds no area for a stamp earlier than the last', () => {
    const gauge = new InFlightGauge();
    gauge.up(0, 8);
    gauge.up(10);
    gauge.down(9.5); // a callback stamped a hair before the send it follows
    expect(gauge.inFlight).toBe(8);
    expect(gauge.areaAt(10)).toBe(80);
    expect(gauge.areaAt(20)).toBe(160);
  });

  it('reads 0 before anything was sent', () => {
    expect(new InFlightGauge().areaAt(1000)).toBe(0);
  });
});

describe('InFlightSpan', () => {
  it('gives the area and length between its start and its end, counting sends that were out before it started', () => {
    const gauge = new InFlightGauge();
    const span = new InFlightSpan(gauge);
    gauge.up(0, 4); // warm-up: four out
    span.start(50);
    gauge.down(60);
    gauge.up(60);
    span.end(150);
    span.end(400); // the first end counts
    expect(span.result).toEqual({ areaMs: 400, spanMs: 100 });
    expect(meanInFlight({ inFlight: span.result ?? undefined })).toBe(4);
  });

  it('has no result until both ends are marked; an empty span means no mean', () => {
    const span = new InFlightSpan(new InFlightGauge());
    expect(span.result).toBeNull();
    span.start(10);
    span.end(10);
    expect(meanInFlight({ inFlight: span.result ?? undefined })).toBeNull();
    expect(meanInFlight({})).toBeNull();
  });
});
