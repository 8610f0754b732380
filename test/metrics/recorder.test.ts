import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { StepRecorder } from '../../src/metrics/recorder.js';
import type { ItemResult } from '../../src/core/item-result.js';

const T0 = 1_700_000_000_000;
const fixedClock = (): number => T0 - 500;

function item(arrivalMs: number, e2eMs: number, extra: Partial<ItemResult> = {}): ItemResult {
  return {
    ok: true,
    tArrivalMs: T0 + arrivalMs,
    tResponseMs: T0 + arrivalMs + e2eMs,
    queueMs: 1,
    inferenceMs: e2eMs - 1,
    batchSize: 8,
    ...extra,
  };
}

describe('StepRecorder.finish', () => {
  it('zero samples: nothing measured, no latency, zero throughput, no windows', () => {
    const m = new StepRecorder({ clock: fixedClock }).finish();
    expect(m.completed).toBe(0);
    expect(m.measuredMs).toBe(0);
    expect(m.startedAtMs).toBe(T0 - 500);
    expect(m.endedAtMs).toBe(T0 - 500);
    expect(m.throughput).toEqual({ itemsPerSec: 0, outputTokensPerSec: null });
    expect(m.errors).toEqual({ total: 0, rate: 0, byClass: {} });
    expect(m.meanBatchSize).toBe(0);
    expect(m.latencyMs).toEqual({});
    expect(m.histograms).toEqual({});
    expect(m.windows).toEqual([]);
  });

  it('one sample: measured time is its e2e, throughput 1 / e2e', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    recorder.record(item(0, 250));
    const m = recorder.finish();
    expect(m.startedAtMs).toBe(T0);
    expect(m.endedAtMs).toBe(T0 + 250);
    expect(m.measuredMs).toBe(250);
    expect(m.throughput.itemsPerSec).toBeCloseTo(4, 9);
    expect(m.latencyMs.e2e?.count).toBe(1);
    expect(m.latencyMs.e2e?.p99).toBeCloseTo(250, 0);
    expect(m.latencyMs.queue?.p50).toBeCloseTo(1, 2);
    expect(m.latencyMs.inference?.p50).toBeCloseTo(249, 0);
    expect(m.latencyMs.ttft).toBeUndefined();
    expect(m.meanBatchSize).toBe(8);
    expect(decodeHistogram(m.histograms.e2e ?? '').totalCount).toBe(1);
    const e2e = m.latencyMs.e2e;
    expect(m.windows).toEqual([
      {
        startMs: T0,
        endMs: T0 + 250,
        completed: 1,
        errors: 0,
        e2eP50Ms: e2e?.p50,
        e2eP95Ms: e2e?.p95,
        e2eP99Ms: e2e?.p99,
        e2eSumMs: 250,
        calls: 0.125,
      }, // one item of a batch of 8
    ]);
  });

  it('all equal: every percentile is the one value; throughput counts items over the span', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    for (let i = 0; i < 100; i++) recorder.record(item(i * 10, 20));
    const m = recorder.finish();
    expect(m.measuredMs).toBe(990 + 20);
    expect(m.throughput.itemsPerSec).toBeCloseTo(100 / 1.01, 6);
    const e2e = m.latencyMs.e2e;
    expect(e2e?.count).toBe(100);
    for (const value of [e2e?.min, e2e?.p50, e2e?.p95, e2e?.max]) expect(value).toBeCloseTo(20, 1);
  });

  it('errors only: rate 1, counted by class, no latency, zero throughput', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    recorder.record(item(0, 5, { ok: false, errorClass: 'timeout' }));
    recorder.record(item(1, 5, { ok: false, errorClass: 'timeout' }));
    recorder.record(item(2, 5, { ok: false }));
    const m = recorder.finish();
    expect(m.completed).toBe(0);
    expect(m.errors).toEqual({ total: 3, rate: 1, byClass: { timeout: 2, unknown: 1 } });
    expect(m.throughput.itemsPerSec).toBe(0);
    expect(m.latencyMs).toEqual({});
    expect(m.measuredMs).toBe(7);
    expect(m.windows).toEqual([
      {
        startMs: T0,
        endMs: T0 + 7,
        completed: 0,
        errors: 3,
        e2eP50Ms: null,
        e2eP95Ms: null,
        e2eP99Ms: null,
        e2eSumMs: 0,
        calls: 0,
        errorsByClass: { timeout: 2, unknown: 1 },
      },
    ]);
  });

  it('mixed: error rate over all items, batch size and tokens over ok items', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    recorder.record(item(0, 100, { batchSize: 4, outputTokens: 64, ttftMs: 10, itlMs: 1.5 }));
    recorder.record(item(0, 100, { batchSize: 2, outputTokens: 32, ttftMs: 20, itlMs: 1.5 }));
    recorder.record(item(50, 150, { ok: false, errorClass: 'model_error', batchSize: 0 }));
    recorder.record(item(100, 100, { batchSize: 6, outputTokens: 64, ttftMs: 30, itlMs: 1.5 }));
    const m = recorder.finish();
    expect(m.errors.rate).toBeCloseTo(0.25, 9);
    expect(m.meanBatchSize).toBe(4);
    expect(m.measuredMs).toBe(200);
    expect(m.throughput.itemsPerSec).toBeCloseTo(15, 9);
    expect(m.throughput.outputTokensPerSec).toBeCloseTo(800, 9);
    expect(m.latencyMs.ttft?.count).toBe(3);
    expect(m.latencyMs.ttft?.max).toBeCloseTo(30, 1);
    expect(m.latencyMs.itl?.p50).toBeCloseTo(1.5, 2);
    expect(Object.keys(m.histograms).sort()).toEqual(['e2e', 'inference', 'itl', 'queue', 'ttft']);
  });

  it('server time: recorded beside the client times, overhead = inference - server, never negative', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    recorder.record(item(0, 41, { serverMs: 30 })); // inference 40 -> overhead 10
    recorder.record(item(0, 21, { serverMs: 25 })); // server clock ahead of ours -> overhead 0
    recorder.record(item(0, 11, { ok: false, errorClass: 'http_5xx', serverMs: 5 }));
    const m = recorder.finish();
    expect(m.latencyMs.server?.count).toBe(2);
    expect(m.latencyMs.server?.max).toBeCloseTo(30, 1);
    expect(m.latencyMs.overhead?.max).toBeCloseTo(10, 1);
    expect(m.latencyMs.overhead?.min).toBeLessThanOrEqual(0.001);
    expect(Object.keys(m.histograms).sort()).toEqual(['e2e', 'inference', 'overhead', 'queue', 'server']);
  });
});

describe('StepRecorder output text', () => {
  it('absent when no item reported a length (in process, classify)', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    recorder.record(item(0, 10));
    expect(recorder.finish()).not.toHaveProperty('outputText');
  });

  it('per-item characters of ok items: mean, p50, p95, min and max (an empty answer counts as 0)', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    const lengths = [0, 64, 64, 64, 300, 1000];
    lengths.forEach((chars, i) => recorder.record(item(i, 10, { outputChars: chars })));
    recorder.record({ ...item(9, 10), ok: false, errorClass: 'timeout', outputChars: 5000 });
    const text = recorder.finish().outputText;
    expect(text).toMatchObject({ items: 6, p50Chars: 64, minChars: 0, maxChars: 1000, p95Chars: 1000 });
    expect(text?.meanChars).toBeCloseTo(lengths.reduce((a, b) => a + b) / 6, 6);
    expect(decodeHistogram(text?.histogram ?? '').totalCount).toBe(6);
  });
});

describe('StepRecorder windows', () => {
  it('slices by response time, keeps empty windows, and ends the last at the last response', () => {
    const recorder = new StepRecorder({ windowMs: 100, clock: fixedClock });
    recorder.record(item(0, 10)); // responds at 10   -> window 0
    recorder.record(item(20, 60)); // responds at 80  -> window 0
    recorder.record(item(90, 30)); // responds at 120 -> window 1
    recorder.record(item(300, 50, { ok: false })); // responds at 350 -> window 3 (window 2 empty)
    recorder.record(item(360, 5)); // responds at 365 -> window 3
    const windows = recorder.finish().windows;
    expect(windows.map((w) => [w.startMs - T0, w.endMs - T0, w.completed, w.errors])).toEqual([
      [0, 100, 2, 0],
      [100, 200, 1, 0],
      [200, 300, 0, 0],
      [300, 365, 1, 1],
    ]);
    expect(windows[0]?.e2eP95Ms).toBeCloseTo(60, 0);
    expect(windows[1]?.e2eP95Ms).toBeCloseTo(30, 0);
    expect(windows[2]?.e2eP95Ms).toBeNull();
    expect(windows[3]?.e2eP95Ms).toBeCloseTo(5, 1);
    // p50 and p99 are kept per window beside p95.
    expect(windows[2]?.e2eP50Ms).toBeNull();
    expect(windows[3]?.e2eP50Ms).toBeCloseTo(5, 1);
    expect(windows[0]?.e2eP99Ms).toBeCloseTo(60, 0);
  });

  it('a late result for a closed window counts there', () => {
    const recorder = new StepRecorder({ windowMs: 100, clock: fixedClock });
    recorder.record(item(0, 150)); // window 1
    recorder.record(item(10, 50)); // responds at 60: window 0, already closed
    const windows = recorder.finish().windows;
    expect(windows.map((w) => w.completed)).toEqual([1, 1]);
  });

  it('retries add up over ok and failed items; abandoned items are counted apart from completed and errors', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    recorder.record(item(0, 10));
    recorder.record(item(5, 10, { retries: 1 }));
    recorder.record(item(10, 10, { ok: false, errorClass: 'connection_reset', retries: 2 }));
    recorder.abandon(3);
    recorder.abandon(1);
    const m = recorder.finish();
    expect(m).toMatchObject({ completed: 2, retries: 3, abandoned: 4, errors: { total: 1, byClass: { connection_reset: 1 } } });
    expect(m.errors.rate).toBeCloseTo(1 / 3, 12);
    expect(new StepRecorder({ clock: fixedClock }).finish()).toMatchObject({ retries: 0, abandoned: 0 });
  });

  it('live() reports counts and the running p95', () => {
    const recorder = new StepRecorder({ clock: fixedClock });
    expect(recorder.live()).toEqual({ completed: 0, errors: 0, p95Ms: null });
    recorder.record(item(0, 40));
    recorder.record(item(0, 40, { ok: false, errorClass: 'timeout' }));
    const live = recorder.live();
    expect(live.completed).toBe(1);
    expect(live.errors).toBe(1);
    expect(live.p95Ms).toBeCloseTo(40, 0);
  });

  it('rejects a window length that is not positive', () => {
    expect(() => new StepRecorder({ windowMs: 0 })).toThrow(RangeError);
  });
});
