import { describe, expect, it } from 'vitest';
import { LoadProfile } from '../../src/load/profile.js';
import { runRampedClosedLoop, type RampedClosedLoopOptions } from '../../src/load/ramped-closed-loop.js';
import { ABORT_DRAIN_GRACE_MS, type ResultSink } from '../../src/load/step-phases.js';
import { epochNowMs } from '../../src/core/clock.js';
import type { BatchingConfig, StaticBatchTarget } from '../../src/targets/target.js';
import type { ItemResult } from '../../src/core/item-result.js';
import type { Stage } from '../../src/core/stage.js';

/** Answers each send after a fixed delay (or never, when hang is set) and counts what is in flight. */
class DelayTarget implements StaticBatchTarget {
  readonly info = { kind: 'inprocess', description: 'delay target' } as const;
  inFlight = 0;
  batches: number[] = [];
  hang = false;
  constructor(private readonly delayMs: number) {}
  async configure(_stage: Stage, _config: BatchingConfig): Promise<void> {}
  async close(): Promise<void> {}
  submit(_stage: Stage, _text: string, tArrivalMs: number): Promise<ItemResult> {
    return this.answer(1, tArrivalMs).then((r) => r[0]!);
  }
  submitBatch(_stage: Stage, texts: readonly string[], tArrivalMs: number): Promise<ItemResult[]> {
    this.batches.push(texts.length);
    return this.answer(texts.length, tArrivalMs);
  }
  private answer(n: number, tArrivalMs: number): Promise<ItemResult[]> {
    this.inFlight++;
    if (this.hang) return new Promise(() => undefined);
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

function drive(target: DelayTarget, profile: LoadProfile, options: Partial<RampedClosedLoopOptions> = {}) {
  const sink = new ListSink();
  const done = runRampedClosedLoop({ target, stage: 'classify', texts: { next: () => 'p' }, sink, clock: epochNowMs, profile, ...options });
  return { sink, done };
}

/** Samples (offset from start, in flight) every 10 ms until `done` settles. */
async function sample(target: DelayTarget, done: Promise<unknown>): Promise<{ atMs: number; inFlight: number }[]> {
  const start = epochNowMs();
  const samples: { atMs: number; inFlight: number }[] = [];
  const timer = setInterval(() => samples.push({ atMs: epochNowMs() - start, inFlight: target.inFlight }), 10);
  await done;
  clearInterval(timer);
  return samples;
}

describe('runRampedClosedLoop', () => {
  it('keeps floor(level) in flight as the level ramps up, holds and ramps down, and stops at the profile end', async () => {
    // 0 -> 20 over 600 ms, hold 20 for 400 ms, down to 0 over 400 ms. Sends take 30 ms.
    const profile = new LoadProfile([
      { name: 'up', durationMs: 600, target: 20 },
      { name: 'hold', durationMs: 400, target: 20 },
      { name: 'down', durationMs: 400, target: 0 },
    ]);
    const target = new DelayTarget(30);
    const { sink, done } = drive(target, profile);
    const samples = await sample(target, done);
    const outcome = await done;
    expect(outcome.endedBy).toBe('profile-end');
    expect(outcome.abandoned).toBe(0);
    expect(outcome.stoppedAtMs - outcome.startedAtMs).toBeGreaterThanOrEqual(1399);
    expect(outcome.stoppedAtMs - outcome.startedAtMs).toBeLessThan(1600);
    expect(sink.results.length).toBe(outcome.sends);
    expect(target.inFlight).toBe(0);
    // Never above the level's floor: sends made up to 30 ms ago (one service time) may still be in
    // flight while it falls; the sampler started a little after the drive, so allow 15 ms ahead too.
    for (const { atMs, inFlight } of samples) {
      if (atMs > 1350) continue;
      const level = Math.max(profile.levelAt(atMs - 40), profile.levelAt(atMs), profile.levelAt(atMs + 15));
      expect(inFlight).toBeLessThanOrEqual(Math.floor(level));
    }
    const inHold = samples.filter((s) => s.atMs > 650 && s.atMs < 950);
    expect(inHold.length).toBeGreaterThan(5);
    expect(inHold.filter((s) => s.inFlight === 20).length / inHold.length).toBeGreaterThan(0.8);
    const midRamp = samples.filter((s) => s.atMs > 280 && s.atMs < 320);
    for (const { inFlight } of midRamp) expect(inFlight).toBeGreaterThanOrEqual(7); // level 10 at 300 ms
    // Ramp down: sends finish and are not replaced (level 10 at 1200 ms).
    const downSamples = samples.filter((s) => s.atMs > 1230 && s.atMs < 1270);
    for (const { inFlight } of downSamples) expect(inFlight).toBeLessThanOrEqual(11);
  });

  it('a ramp up adds sends on the control timer even while nothing completes', async () => {
    // Sends take 2 s: only the control timer can add more as the level rises 0 -> 10 over 300 ms.
    const target = new DelayTarget(2_000);
    const profile = new LoadProfile([
      { name: 'up', durationMs: 300, target: 10 },
      { name: 'hold', durationMs: 100, target: 10 },
    ]);
    const controller = new AbortController();
    const { done } = drive(target, profile, { signal: controller.signal, drainGraceMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(target.inFlight).toBe(10);
    controller.abort('SIGINT');
    const outcome = await done;
    expect(outcome.endedBy).toBe('aborted');
    expect(outcome.abandoned).toBe(10);
  });

  it('an abort with sends stuck at the target ends within ABORT_DRAIN_GRACE_MS, whatever the drain grace', async () => {
    const target = new DelayTarget(1);
    target.hang = true;
    const profile = new LoadProfile([
      { name: 'hold', durationMs: 0, target: 4 },
      { name: 'h', durationMs: 60_000, target: 4 },
    ]);
    const controller = new AbortController();
    const { done } = drive(target, profile, { signal: controller.signal, drainGraceMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const abortedAtMs = performance.now();
    controller.abort('SIGTERM');
    const outcome = await done;
    const drainMs = performance.now() - abortedAtMs;
    expect(outcome).toMatchObject({ endedBy: 'aborted', abandoned: 4 });
    expect(drainMs).toBeGreaterThanOrEqual(ABORT_DRAIN_GRACE_MS - 1);
    expect(drainMs).toBeLessThan(ABORT_DRAIN_GRACE_MS * 2);
  }, 15_000);

  it('static batches: keeps whole batches in flight by the level in items', async () => {
    const target = new DelayTarget(20);
    const profile = new LoadProfile([
      { name: 'hold', durationMs: 0, target: 16 },
      { name: 'h', durationMs: 300, target: 16 },
    ]);
    const { sink, done } = drive(target, profile, {
      staticBatch: { target, batchSize: 4 },
      sendsForLevel: (level) => Math.floor(level / 4),
    });
    const samples = await sample(target, done);
    const outcome = await done;
    expect(new Set(target.batches)).toEqual(new Set([4]));
    expect(Math.max(...samples.map((s) => s.inFlight))).toBe(4);
    expect(sink.results.length).toBe(outcome.sends * 4);
  });

  it('abort stops sending at once; what is in flight drains within the grace and is recorded', async () => {
    const target = new DelayTarget(40);
    const profile = new LoadProfile([
      { name: 'h0', durationMs: 0, target: 5 },
      { name: 'hold', durationMs: 10_000, target: 5 },
    ]);
    const controller = new AbortController();
    const { sink, done } = drive(target, profile, { signal: controller.signal, drainGraceMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedAt = epochNowMs();
    controller.abort('SIGTERM');
    const outcome = await done;
    expect(epochNowMs() - abortedAt).toBeLessThan(300);
    expect(outcome.endedBy).toBe('aborted');
    expect(outcome.abandoned).toBe(0);
    expect(sink.results.length).toBe(outcome.sends);
    expect(target.inFlight).toBe(0);
    expect(sink.results.every((r) => r.tArrivalMs <= outcome.stoppedAtMs)).toBe(true);
  });

  it('starts at a later offset (resume), a level of 0 sends nothing, and an already-aborted signal sends nothing', async () => {
    const target = new DelayTarget(10);
    const profile = new LoadProfile([
      { name: 'busy', durationMs: 10_000, target: 50 },
      { name: 'drop', durationMs: 0, target: 0 },
      { name: 'idle', durationMs: 10_000, target: 0 },
      { name: 'jump', durationMs: 0, target: 2 },
      { name: 'tail', durationMs: 200, target: 2 },
    ]);
    const { done } = drive(target, profile, { startOffsetMs: 19_800 });
    const samples = await sample(target, done);
    const outcome = await done;
    expect(outcome.stoppedAtMs - outcome.startedAtMs).toBeLessThan(450);
    expect(Math.max(...samples.filter((s) => s.atMs < 190).map((s) => s.inFlight))).toBe(0);
    expect(Math.max(...samples.map((s) => s.inFlight))).toBe(2);
    const aborted = new AbortController();
    aborted.abort('SIGINT');
    const none = await drive(new DelayTarget(10), profile, { signal: aborted.signal }).done;
    expect(none).toMatchObject({ sends: 0, endedBy: 'aborted', abandoned: 0 });
  });
});
