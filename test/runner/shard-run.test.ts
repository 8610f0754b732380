/**
 * ShardRun: a shard's share of a step (the shards of a plan sum to it), its window grid (every shard
 * on the same whole windows from --start-at), and its start (never before the instant; skew kept).
 */
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../src/core/clock.js';
import type { Step } from '../../src/core/workload.js';
import { ShardRun } from '../../src/runner/shard-run.js';

const closedStep: Step = {
  index: 0,
  stage: 'classify',
  mode: 'dynamic',
  batchSize: 4,
  concurrency: 10,
  arrivals: null,
  maxQueueDelayMs: 0,
  maxNewTokens: null,
  warmup: { requests: 40 },
  measure: { requests: 400, maxDurationMs: 30_000 },
};
const openStep: Step = { ...closedStep, concurrency: null, arrivals: { process: 'constant', ratePerSec: 100, maxInFlight: 7 } };

const shardsOf = (of: number, startAtMs: number | null = null): ShardRun[] =>
  Array.from({ length: of }, (_, index) => new ShardRun({ index, of }, startAtMs, null));

describe('ShardRun.share: the shards of a plan sum to it', () => {
  it('closed loop: in-flight requests and counts (in items of whole requests) add up to the step', () => {
    const shares = shardsOf(3).map((shard) => shard.share(closedStep, 10, closedStep.batchSize));
    expect(shares.map((s) => s.concurrency)).toEqual([4, 3, 3]);
    expect(shares.reduce((sum, s) => sum + (s.measure.requests ?? 0), 0)).toBe(400);
    expect(shares.reduce((sum, s) => sum + (s.warmup.requests ?? 0), 0)).toBe(40);
  });

  it("open loop: the rate stays the plan's (each shard sends its dealt arrivals); the in-flight cap splits", () => {
    const shares = shardsOf(3).map((shard) => shard.share(openStep, 0, 1));
    expect(shares.map((s) => s.arrivals?.ratePerSec)).toEqual([100, 100, 100]);
    expect(shares.map((s) => s.arrivals?.maxInFlight)).toEqual([3, 2, 2]);
  });
});

describe('ShardRun.windowOriginMs: one grid for every shard', () => {
  it('whole windows from --start-at, the last one begun by now', () => {
    const [shard] = shardsOf(2, 10_250);
    expect(shard!.windowOriginMs(10_250, 1000)).toBe(10_250);
    expect(shard!.windowOriginMs(13_900, 1000)).toBe(13_250);
    expect(shard!.windowOriginMs(14_250, 1000)).toBe(14_250);
  });

  it('without --start-at: whole seconds of the epoch', () => {
    const [shard] = shardsOf(2);
    expect(shard!.windowOriginMs(1_700_000_000_123, 1000)).toBe(1_700_000_000_000);
  });
});

describe('ShardRun.waitForStart', () => {
  it("waits until the instant, never before, and keeps the first step's skew", async () => {
    const startAtMs = epochNowMs() + 120;
    const shard = new ShardRun({ index: 0, of: 2 }, startAtMs, null);
    await shard.waitForStart(epochNowMs);
    const skewMs = shard.report().startSkewMs;
    expect(skewMs).toBeGreaterThanOrEqual(0);
    await shard.waitForStart(epochNowMs);
    expect(shard.report().startSkewMs).toBe(skewMs);
    expect(shard.report()).toMatchObject({ index: 0, of: 2, startAt: new Date(startAtMs).toISOString(), clockOffset: null });
  });
});
