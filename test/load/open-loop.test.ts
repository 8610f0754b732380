import { describe, expect, it } from 'vitest';
import { constantArrivals, poissonArrivals } from '../../src/load/arrivals.js';
import { runOpenLoop, type OpenLoopOptions } from '../../src/load/open-loop.js';
import { lateShare } from '../../src/load/send-stats.js';
import type { ResultSink } from '../../src/load/closed-loop.js';
import { epochNowMs } from '../../src/core/clock.js';
import type { BatchingConfig, StaticBatchTarget } from '../../src/targets/target.js';
import type { ItemResult } from '../../src/core/item-result.js';
import type { Stage } from '../../src/core/stage.js';

/**
 * A target with one server that answers in order: each send takes `serviceMs` once the previous
 * one is done (the send numbered `stallAt` takes `stallMs`), and ones that arrive meanwhile queue.
 * `answers` limits how many it ever answers (the rest hang). It counts what is in flight.
 */
class SerialTarget implements StaticBatchTarget {
  readonly info = { kind: 'inprocess', description: 'serial target' } as const;
  inFlight = 0;
  maxInFlight = 0;
  sends = 0;
  readonly arrivalsMs: number[] = [];
  readonly batches: number[] = [];
  private busyUntilMs = 0;
  constructor(private readonly settings: { serviceMs: number; stallAt?: number; stallMs?: number; answers?: number }) {}
  async configure(_stage: Stage, _config: BatchingConfig): Promise<void> {}
  async close(): Promise<void> {}
  submit(_stage: Stage, _text: string, tArrivalMs: number): Promise<ItemResult> {
    return this.answer(1, tArrivalMs).then((results) => results[0]!);
  }
  submitBatch(_stage: Stage, texts: readonly string[], tArrivalMs: number): Promise<ItemResult[]> {
    this.batches.push(texts.length);
    return this.answer(texts.length, tArrivalMs);
  }
  private answer(items: number, tArrivalMs: number): Promise<ItemResult[]> {
    const index = this.sends++;
    this.arrivalsMs.push(tArrivalMs);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (index >= (this.settings.answers ?? Infinity)) return new Promise<ItemResult[]>(() => undefined);
    const now = epochNowMs();
    const serviceMs = index === this.settings.stallAt ? (this.settings.stallMs ?? 0) : this.settings.serviceMs;
    this.busyUntilMs = Math.max(now, this.busyUntilMs) + serviceMs;
    return new Promise((resolve) =>
      setTimeout(() => {
        this.inFlight--;
        const tResponseMs = epochNowMs();
        const result: ItemResult = { ok: true, tArrivalMs, tResponseMs, queueMs: 0, inferenceMs: serviceMs, batchSize: items };
        resolve(Array.from({ length: items }, () => result));
      }, this.busyUntilMs - now),
    );
  }
}

class ListSink implements ResultSink {
  readonly results: ItemResult[] = [];
  record(result: ItemResult): void {
    this.results.push(result);
  }
}

const texts = { next: () => 'a prompt' };
const okResult: ItemResult = { ok: true, tArrivalMs: 0, tResponseMs: 0, queueMs: 0, inferenceMs: 0, batchSize: 1 };

function drive(target: SerialTarget, sink: ListSink, options: Partial<OpenLoopOptions>) {
  return runOpenLoop({
    target,
    stage: 'classify',
    schedule: constantArrivals(200),
    ratePerSec: 200,
    maxInFlight: null,
    texts,
    warmup: {},
    measure: { requests: 10, maxDurationMs: 5_000 },
    sink,
    clock: epochNowMs,
    ...options,
  });
}

function gaps(valuesMs: readonly number[]): number[] {
  return valuesMs.slice(1).map((value, i) => value - (valuesMs[i] as number));
}

/** e2e per measured item in send order, latency counted from the scheduled send. */
function e2eBySchedule(results: readonly ItemResult[]): number[] {
  return [...results].sort((a, b) => a.tArrivalMs - b.tArrivalMs).map((r) => r.tResponseMs - r.tArrivalMs);
}

/**
 * The latencies of the items sent during the stall: each waited for the stall to end, so they
 * fall from ~stallMs towards 0 along a line (not one outlier followed by fast items).
 */
function expectLatencyFallsAcrossStall(e2eMs: readonly number[], stallMs: number): void {
  const first = e2eMs.findIndex((ms) => ms > stallMs * 0.8);
  expect(first).toBeGreaterThanOrEqual(0);
  const run: number[] = [];
  for (let i = first; i < e2eMs.length && (e2eMs[i] as number) > 30; i++) run.push(e2eMs[i] as number);
  // ~300 ms of 5 ms sends: dozens of items carry part of the stall.
  expect(run.length).toBeGreaterThan(25);
  // Timer jitter on a shared machine (2 cores, other suites running) bends single steps and can
  // slow the catch-up; the shape must still be a long fall from ~stallMs, not a lone outlier.
  const falling = gaps(run).filter((stepMs) => stepMs < 0).length;
  expect(falling / (run.length - 1)).toBeGreaterThan(0.6);
  expect(Math.max(...run) - (run.at(-1) as number)).toBeGreaterThan(stallMs * 0.6);
  const { slope, r2 } = lineFit(run);
  expect(slope).toBeLessThan(0);
  expect(r2).toBeGreaterThan(0.6);
}

/** Least-squares line through (i, values[i]): slope per index and the share of variance explained. */
function lineFit(values: readonly number[]): { slope: number; r2: number } {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, v) => sum + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  values.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
    syy += (y - meanY) ** 2;
  });
  return { slope: sxy / sxx, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

describe('runOpenLoop', () => {
  it('sends on the schedule: tArrival is the scheduled time, warm-up dropped, the measured count exact', async () => {
    const target = new SerialTarget({ serviceMs: 1 });
    const sink = new ListSink();
    const outcome = await drive(target, sink, { warmup: { requests: 4 }, measure: { requests: 20, maxDurationMs: 5_000 } });
    expect(outcome).toMatchObject({ warmupItems: 4, measuredItems: 20, endedBy: 'requests', abandoned: 0 });
    expect(sink.results).toHaveLength(20);
    expect(target.sends).toBe(24);
    for (const gapMs of gaps(target.arrivalsMs)) expect(gapMs).toBeCloseTo(5, 3);
    expect(sink.results[0]!.tArrivalMs - target.arrivalsMs[0]!).toBeCloseTo(20, 3);
    expect(outcome.sends.sends).toBe(20);
    expect(outcome.sends.lateThresholdMs).toBe(2);
    expect(target.inFlight).toBe(0);
  });

  it('achieves about the target rate at a modest rate', async () => {
    const target = new SerialTarget({ serviceMs: 1 });
    const outcome = await drive(target, new ListSink(), {
      schedule: constantArrivals(100),
      ratePerSec: 100,
      measure: { requests: 30, maxDurationMs: 5_000 },
    });
    expect(outcome.sends.achievedRatePerSec).toBeGreaterThan(85);
    expect(outcome.sends.achievedRatePerSec).toBeLessThan(115);
    expect(outcome.sends.lastSendAtMs! - outcome.sends.firstSendAtMs!).toBeGreaterThan(250);
  });

  it('follows a Poisson schedule exactly', async () => {
    const target = new SerialTarget({ serviceMs: 0 });
    await drive(target, new ListSink(), {
      schedule: poissonArrivals(300, 11),
      ratePerSec: 300,
      measure: { requests: 30, maxDurationMs: 5_000 },
    });
    const expected = poissonArrivals(300, 11);
    const offsets = Array.from({ length: 30 }, () => expected.next());
    const start = target.arrivalsMs[0]!;
    target.arrivalsMs.forEach((arrivalMs, i) => expect(arrivalMs - start).toBeCloseTo(offsets[i]!, 3));
  });

  it('warm-up and measurement by duration count schedule time, back to back', async () => {
    const target = new SerialTarget({ serviceMs: 1 });
    const sink = new ListSink();
    const outcome = await drive(target, sink, { warmup: { durationMs: 50 }, measure: { durationMs: 100, maxDurationMs: 5_000 } });
    // Offsets 0..45 ms warm up, 50..145 ms are measured.
    expect(outcome).toMatchObject({ warmupItems: 10, measuredItems: 20, endedBy: 'duration' });
    expect(sink.results[0]!.tArrivalMs - target.arrivalsMs[0]!).toBeCloseTo(50, 3);
  });

  it('a stall shows in every send it delayed: latency from the schedule falls across it', async () => {
    const stallMs = 300;
    const target = new SerialTarget({ serviceMs: 1, stallAt: 5, stallMs });
    const sink = new ListSink();
    await drive(target, sink, { measure: { requests: 120, maxDurationMs: 5_000 } });
    expectLatencyFallsAcrossStall(e2eBySchedule(sink.results), stallMs);
  });

  it('with maxInFlight 1 the waiting sends are late, and still stamped with their scheduled time', async () => {
    const stallMs = 300;
    const target = new SerialTarget({ serviceMs: 0, stallAt: 5, stallMs });
    const sink = new ListSink();
    const outcome = await drive(target, sink, { maxInFlight: 1, measure: { requests: 120, maxDurationMs: 5_000 } });
    expect(target.maxInFlight).toBe(1);
    expect(outcome.sends.lateSends).toBeGreaterThan(25);
    expect(lateShare(outcome.sends)).toBeCloseTo(outcome.sends.lateSends / 120, 9);
    expect(outcome.sends.maxLateMs).toBeGreaterThan(stallMs * 0.8);
    for (const gapMs of gaps(target.arrivalsMs)) expect(gapMs).toBeCloseTo(5, 3);
    expectLatencyFallsAcrossStall(e2eBySchedule(sink.results), stallMs);
  });

  it('hands the sink each measured send as it goes out, due and issued, before its result: warm-up sends are not handed', async () => {
    const stallMs = 200;
    const target = new SerialTarget({ serviceMs: 0, stallAt: 15, stallMs });
    const sends: { items: number; dueMs: number; issuedAtMs: number; recordedBefore: number }[] = [];
    const sink = new ListSink();
    const watching = Object.assign(sink, {
      sent: (items: number, dueMs: number, issuedAtMs: number) =>
        sends.push({ items, dueMs, issuedAtMs, recordedBefore: sink.results.length }),
    });
    const outcome = await drive(target, watching, {
      maxInFlight: 1,
      warmup: { requests: 10 },
      measure: { requests: 60, maxDurationMs: 5_000 },
    });
    expect(sends).toHaveLength(60);
    expect(sends.every((send) => send.items === 1)).toBe(true);
    // Due times are the schedule's (the measured sends, after the 10 warm-up ones), 5 ms apart.
    expect(sends.map((send) => send.dueMs)).toEqual(target.arrivalsMs.slice(10));
    // Each send is handed before any result of its own: at most the sends before it have come back.
    sends.forEach((send, i) => expect(send.recordedBefore).toBeLessThanOrEqual(i));
    // The sends held behind the stall went out late; the sink sees the same lateness the step counts.
    const late = sends.filter((send) => send.issuedAtMs - send.dueMs > outcome.sends.lateThresholdMs);
    expect(late).toHaveLength(outcome.sends.lateSends);
    expect(Math.max(...sends.map((send) => send.issuedAtMs - send.dueMs))).toBeCloseTo(outcome.sends.maxLateMs, 9);
  });

  it('never has more than maxInFlight sends in flight', async () => {
    const target = new SerialTarget({ serviceMs: 10 });
    const sink = new ListSink();
    const outcome = await drive(target, sink, {
      schedule: constantArrivals(500),
      ratePerSec: 500,
      maxInFlight: 2,
      measure: { requests: 20, maxDurationMs: 5_000 },
    });
    expect(target.maxInFlight).toBe(2);
    expect(sink.results).toHaveLength(20);
    expect(outcome.sends.lateSends).toBeGreaterThan(0);
  });

  it('abort stops sending and drains and records what is in flight', async () => {
    const slow = new SerialTarget({ serviceMs: 20 });
    const sink = new ListSink();
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 100);
    const outcome = await drive(slow, sink, { measure: { requests: 1_000_000, maxDurationMs: 5_000 }, signal: controller.signal });
    expect(outcome.endedBy).toBe('aborted');
    expect(outcome.abandoned).toBe(0);
    expect(outcome.measuredItems).toBeGreaterThan(10);
    expect(sink.results).toHaveLength(outcome.measuredItems);
    expect(slow.inFlight).toBe(0);
  });

  it('an already aborted signal sends nothing', async () => {
    const target = new SerialTarget({ serviceMs: 1 });
    const controller = new AbortController();
    controller.abort('SIGINT');
    const outcome = await drive(target, new ListSink(), { signal: controller.signal });
    expect(outcome).toMatchObject({ warmupItems: 0, measuredItems: 0, endedBy: 'aborted', abandoned: 0 });
    expect(outcome.sends).toMatchObject({ sends: 0, firstSendAtMs: null, achievedRatePerSec: 0 });
    expect(lateShare(outcome.sends)).toBe(0);
    expect(target.sends).toBe(0);
  });

  it('a target that stops answering cannot hang the step: the hard limit plus the drain grace end it', async () => {
    const target = new SerialTarget({ serviceMs: 0, answers: 5 });
    const sink = new ListSink();
    const outcome = await drive(target, sink, { measure: { requests: 1_000_000, maxDurationMs: 100 }, drainGraceMs: 50 });
    expect(outcome.endedBy).toBe('maxDuration');
    expect(sink.results).toHaveLength(5);
    expect(outcome.measuredItems).toBeGreaterThan(10);
    expect(outcome.abandoned).toBe(outcome.measuredItems - 5);
  });

  it('a target that hangs after measurement reached its count is abandoned after the hard limit and grace', async () => {
    const target = new SerialTarget({ serviceMs: 0, answers: 3 });
    const sink = new ListSink();
    const outcome = await drive(target, sink, { measure: { requests: 5, maxDurationMs: 60 }, drainGraceMs: 30 });
    expect(outcome).toMatchObject({ measuredItems: 5, endedBy: 'requests', abandoned: 2 });
    expect(sink.results).toHaveLength(3);
  });

  it('rejects an in-flight cap below 1', async () => {
    const target = new SerialTarget({ serviceMs: 0 });
    await expect(drive(target, new ListSink(), { maxInFlight: 0 })).rejects.toThrow(RangeError);
    await expect(drive(target, new ListSink(), { maxInFlight: 1.5 })).rejects.toThrow(RangeError);
    expect(target.sends).toBe(0);
  });

  it('static mode sends one batch of batchSize texts per scheduled send', async () => {
    const target = new SerialTarget({ serviceMs: 1 });
    const sink = new ListSink();
    const outcome = await drive(target, sink, {
      warmup: { requests: 8 },
      measure: { requests: 20, maxDurationMs: 5_000 },
      staticBatch: { target, batchSize: 4 },
    });
    expect(target.batches).toEqual(Array(7).fill(4));
    expect(outcome).toMatchObject({ warmupItems: 8, measuredItems: 20, endedBy: 'requests' });
    expect(outcome.sends.sends).toBe(5);
    expect(sink.results).toHaveLength(20);
  });

  it('a rejected send is recorded as a target_error and the schedule goes on', async () => {
    const target = new SerialTarget({ serviceMs: 0 });
    const rejecting = Object.assign(Object.create(target) as SerialTarget, { submit: () => Promise.reject(new Error('boom')) });
    const sink = new ListSink();
    const outcome = await drive(rejecting, sink, { measure: { requests: 6, maxDurationMs: 5_000 } });
    expect(outcome.measuredItems).toBe(6);
    expect(sink.results.map((r) => r.errorClass)).toEqual(Array(6).fill('target_error'));
  });

  it('a rate beyond what the loop can send still yields to the event loop, so an abort ends the step', async () => {
    const instant = {
      info: { kind: 'inprocess', description: 'instant' },
      configure: async () => {},
      close: async () => {},
      submit: () => Promise.resolve(okResult),
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 30);
    const outcome = await drive(instant as unknown as SerialTarget, new ListSink(), {
      schedule: constantArrivals(1e9),
      ratePerSec: 1e9,
      measure: { requests: Number.MAX_SAFE_INTEGER, maxDurationMs: 5_000 },
      signal: controller.signal,
    });
    expect(outcome.endedBy).toBe('aborted');
    expect(outcome.measuredItems).toBeGreaterThan(1024);
  });
});
