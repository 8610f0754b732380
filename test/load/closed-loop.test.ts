import { describe, expect, it } from 'vitest';
import { runClosedLoop, type ClosedLoopOptions, type ResultSink } from '../../src/load/closed-loop.js';
import { ABORT_DRAIN_GRACE_MS } from '../../src/load/step-phases.js';
import { epochNowMs } from '../../src/core/clock.js';
import type { BatchingConfig, StaticBatchTarget } from '../../src/targets/target.js';
import type { ItemResult } from '../../src/core/item-result.js';
import type { Stage } from '../../src/core/stage.js';

/** A target that answers every item after a fixed delay and tracks how many are in flight. */
class DelayTarget implements StaticBatchTarget {
  readonly info = { kind: 'inprocess', description: 'delay target' } as const;
  inFlight = 0;
  maxInFlight = 0;
  sent = 0;
  batches: number[] = [];
  constructor(private readonly delayMs: number) {}
  async configure(_stage: Stage, _config: BatchingConfig): Promise<void> {}
  submit(_stage: Stage, _text: string, tArrivalMs: number): Promise<ItemResult> {
    return this.answer(1, tArrivalMs).then((r) => r[0]!);
  }
  submitBatch(_stage: Stage, texts: readonly string[], tArrivalMs: number): Promise<ItemResult[]> {
    this.batches.push(texts.length);
    return this.answer(texts.length, tArrivalMs);
  }
  async close(): Promise<void> {}
  private answer(n: number, tArrivalMs: number): Promise<ItemResult[]> {
    this.sent += n;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve) =>
      setTimeout(() => {
        this.inFlight--;
        const t = epochNowMs();
        resolve(
          Array.from({ length: n }, () => ({
            ok: true,
            tArrivalMs,
            tResponseMs: t,
            queueMs: 0,
            inferenceMs: t - tArrivalMs,
            batchSize: n,
          })),
        );
      }, this.delayMs),
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
const measureLimit = { maxDurationMs: 10_000 };

/** Drives `target` with the defaults below, overridden per test. */
function drive(target: DelayTarget, sink: ListSink, options: Partial<ClosedLoopOptions>) {
  return runClosedLoop({
    target,
    stage: 'classify',
    concurrency: 1,
    texts,
    warmup: {},
    measure: { requests: 10, ...measureLimit },
    sink,
    clock: epochNowMs,
    ...options,
  });
}

describe('runClosedLoop', () => {
  it('holds exactly N in flight while it sends: each completion hands its slot to the next send in the same tick', async () => {
    const target = new DelayTarget(3);
    const sink = new ListSink();
    const outcome = await drive(target, sink, { concurrency: 6, warmup: { requests: 12 }, measure: { requests: 60, ...measureLimit } });
    const held = outcome.inFlight;
    expect(held).not.toBeNull();
    // Warm-up sends still out at measurement's start count: the count never dips below N while sending.
    expect(held!.spanMs).toBeGreaterThan(0);
    expect(held!.areaMs / held!.spanMs).toBeCloseTo(6, 9);
  });

  it('counts a static batch as its items in the held load', async () => {
    const target = new DelayTarget(3);
    const sink = new ListSink();
    const outcome = await drive(target, sink, {
      concurrency: 2,
      staticBatch: { target, batchSize: 4 },
      warmup: { requests: 8 },
      measure: { requests: 40, ...measureLimit },
    });
    expect(outcome.inFlight!.areaMs / outcome.inFlight!.spanMs).toBeCloseTo(8, 9);
  });

  it('keeps exactly N in flight, excludes warm-up and records exactly the measured count', async () => {
    const target = new DelayTarget(2);
    const sink = new ListSink();
    const outcome = await drive(target, sink, {
      concurrency: 4,
      warmup: { requests: 8 },
      measure: { requests: 40, ...measureLimit },
    });
    expect(target.maxInFlight).toBe(4);
    expect(outcome).toMatchObject({ warmupItems: 8, measuredItems: 40, endedBy: 'requests', abandoned: 0, extendedMs: 0 });
    expect(sink.results).toHaveLength(40);
    expect(target.sent).toBe(48);
    expect(target.inFlight).toBe(0);
  });

  it('ends measurement by duration and still records what was in flight', async () => {
    const target = new DelayTarget(5);
    const sink = new ListSink();
    const outcome = await drive(target, sink, {
      concurrency: 2,
      measure: { durationMs: 60, ...measureLimit },
    });
    expect(outcome.endedBy).toBe('duration');
    expect(sink.results.length).toBe(outcome.measuredItems);
    expect(sink.results.length).toBeGreaterThan(4);
    expect(target.inFlight).toBe(0);
  });

  it('static mode sends batches of exactly the batch size', async () => {
    const target = new DelayTarget(1);
    const sink = new ListSink();
    await drive(target, sink, {
      concurrency: 1,
      warmup: { requests: 8 },
      measure: { requests: 32, ...measureLimit },
      staticBatch: { target, batchSize: 8 },
    });
    expect(new Set(target.batches)).toEqual(new Set([8]));
    expect(target.batches).toHaveLength(5);
    expect(sink.results).toHaveLength(32);
    expect(target.maxInFlight).toBe(1);
  });

  it('abort stops issuing and drains in-flight requests', async () => {
    const target = new DelayTarget(5);
    const sink = new ListSink();
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 30);
    const outcome = await drive(target, sink, {
      concurrency: 3,
      measure: { requests: 1_000_000, ...measureLimit },
      signal: controller.signal,
    });
    expect(outcome.endedBy).toBe('aborted');
    expect(sink.results.length).toBe(outcome.measuredItems);
    expect(sink.results.length).toBeLessThan(1000);
    expect(target.inFlight).toBe(0);
  });

  it('an already aborted signal sends nothing', async () => {
    const target = new DelayTarget(1);
    const controller = new AbortController();
    controller.abort('SIGINT');
    const outcome = await drive(target, new ListSink(), { concurrency: 3, signal: controller.signal });
    expect(outcome).toMatchObject({ warmupItems: 0, measuredItems: 0, endedBy: 'aborted', abandoned: 0, extendedMs: 0 });
    expect(target.sent).toBe(0);
  });

  it('a target that stops answering cannot hang the step: the hard limit plus the drain grace end it', async () => {
    const target = new DelayTarget(1);
    const stalled = new StallAfter(target, 5);
    const sink = new ListSink();
    const outcome = await drive(stalled as unknown as DelayTarget, sink, {
      concurrency: 2,
      measure: { requests: 1000, maxDurationMs: 100 },
      drainGraceMs: 50,
    });
    expect(outcome.endedBy).toBe('maxDuration');
    expect(outcome.abandoned).toBe(2);
    expect(sink.results).toHaveLength(5);
  });

  it('an abort with requests stuck at the target ends within ABORT_DRAIN_GRACE_MS, not the 10 s drain grace; the stuck ones are abandoned', async () => {
    const stalled = new StallAfter(new DelayTarget(1), 5);
    const sink = new ListSink();
    const controller = new AbortController();
    let abortedAtMs = 0;
    setTimeout(() => {
      abortedAtMs = performance.now();
      controller.abort('SIGTERM');
    }, 100);
    const outcome = await drive(stalled as unknown as DelayTarget, sink, {
      concurrency: 3,
      measure: { requests: 1000, ...measureLimit },
      signal: controller.signal,
    });
    const drainMs = performance.now() - abortedAtMs;
    expect(outcome).toMatchObject({ endedBy: 'aborted', abandoned: 3 });
    expect(sink.results).toHaveLength(5);
    // Timers do not fire early; the default grace (10 s) is five times longer than the bound.
    expect(drainMs).toBeGreaterThanOrEqual(ABORT_DRAIN_GRACE_MS - 1);
    expect(drainMs).toBeLessThan(ABORT_DRAIN_GRACE_MS * 2);
  }, 15_000);

  it('an abort during the drain after the hard limit cuts that drain short', async () => {
    const stalled = new StallAfter(new DelayTarget(1), 4);
    const controller = new AbortController();
    const startedAtMs = performance.now();
    // The hard limit (100 ms) arms the 10 s drain grace; the abort comes 200 ms into it.
    setTimeout(() => controller.abort('SIGINT'), 300);
    const outcome = await drive(stalled as unknown as DelayTarget, new ListSink(), {
      concurrency: 2,
      measure: { requests: 1000, maxDurationMs: 100 },
      drainGraceMs: 10_000,
      signal: controller.signal,
    });
    expect(outcome).toMatchObject({ endedBy: 'maxDuration', abandoned: 2 });
    expect(performance.now() - startedAtMs).toBeLessThan(300 + ABORT_DRAIN_GRACE_MS * 2);
  }, 15_000);

  it('a rejected send is recorded as a target_error and the loop goes on', async () => {
    const target = new DelayTarget(1);
    const rejecting = {
      ...target,
      info: target.info,
      configure: target.configure,
      close: target.close,
      submit: () => Promise.reject(new Error('boom')),
    };
    const sink = new ListSink();
    const outcome = await drive(rejecting as unknown as DelayTarget, sink, { concurrency: 2, measure: { requests: 6, ...measureLimit } });
    expect(outcome.measuredItems).toBe(6);
    expect(sink.results.map((r) => r.errorClass)).toEqual(Array(6).fill('target_error'));
  });

  it('a target that answers at once still lets timers run, so a duration ends the step', async () => {
    const now = (): ItemResult => ({
      ok: false,
      errorClass: 'worker_exit',
      tArrivalMs: 0,
      tResponseMs: 0,
      queueMs: 0,
      inferenceMs: 0,
      batchSize: 1,
    });
    const instant = {
      info: { kind: 'inprocess', description: 'instant' },
      configure: async () => {},
      close: async () => {},
      submit: () => Promise.resolve(now()),
    };
    const counter = { record: () => undefined };
    const outcome = await runClosedLoop({
      target: instant as never,
      stage: 'classify',
      concurrency: 1,
      texts,
      warmup: {},
      measure: { requests: Number.MAX_SAFE_INTEGER, durationMs: 50, maxDurationMs: 60 },
      sink: counter,
      clock: epochNowMs,
    });
    expect(['duration', 'maxDuration']).toContain(outcome.endedBy);
  });
});

/** Passes the first `answers` requests to `inner`, then never answers again. */
class StallAfter {
  readonly info = { kind: 'inprocess', description: 'stalls' } as const;
  private sent = 0;
  constructor(
    private readonly inner: DelayTarget,
    private readonly answers: number,
  ) {}
  async configure(): Promise<void> {}
  async close(): Promise<void> {}
  submit(stage: Stage, text: string, tArrivalMs: number): Promise<ItemResult> {
    return this.sent++ < this.answers ? this.inner.submit(stage, text, tArrivalMs) : new Promise<ItemResult>(() => undefined);
  }
}
