/**
 * Whole-request deadlines (src/targets/http/deadlines.ts): a body that trickles in, each gap far
 * shorter than the body timeout, still fails as `timeout` once the body has taken longer than it.
 */
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import { DeadlineSweep, sweepIntervalMs, type Expirable } from '../../../src/targets/http/deadlines.js';
import { closedAfterEach, templateSpec } from './spec.js';

const open = closedAfterEach();

describe('HttpTarget: the whole response has a deadline, not only each gap', () => {
  it('a body that trickles in (headers, then a byte every 100 ms) fails as timeout near the body deadline', async () => {
    const GAP_MS = 100;
    const BODY_MS = 1000;
    // 115 one-byte chunks: 11.5 s to arrive in full, every gap well inside the body timeout.
    const body = `{"outputs": 1}${' '.repeat(100)}`;
    const server = await open.server({ kind: 'slow-body', chunks: [...body], gapMs: GAP_MS });
    const target = await open.target(templateSpec(server.url, { timeouts: { connectMs: 1000, headersMs: 2000, bodyMs: BODY_MS } }));
    const result = await target.submit('classify', 'x', epochNowMs());
    expect(result).toMatchObject({ ok: false, errorClass: 'timeout' });
    // The headers come with the first byte, a gap after the request left; the body then has BODY_MS.
    expect(result.inferenceMs).toBeGreaterThanOrEqual(BODY_MS);
    expect(result.inferenceMs).toBeLessThan(2 * BODY_MS);
    expect(target.errorDetails.get('timeout')).toBe(`response body not complete within ${BODY_MS} ms of its headers`);
  }, 15_000);

  it('a body that finishes inside the deadline is not cut', async () => {
    const server = await open.server({ kind: 'slow-body', chunks: [...'{"outputs": 1}'], gapMs: 20 });
    const target = await open.target(templateSpec(server.url, { timeouts: { connectMs: 1000, headersMs: 2000, bodyMs: 2000 } }));
    expect(await target.submit('classify', 'x', epochNowMs())).toMatchObject({ ok: true });
  });
});

describe('DeadlineSweep', () => {
  it('sweeps at a twentieth of the shortest timeout, within 10..100 ms', () => {
    expect(sweepIntervalMs({ headersMs: 30_000, bodyMs: 30_000 })).toBe(100);
    expect(sweepIntervalMs({ headersMs: 30_000, bodyMs: 1000 })).toBe(50);
    expect(sweepIntervalMs({ headersMs: 150, bodyMs: 150 })).toBe(10);
  });

  it('expires each request once, when the clock passes its deadline (which may move), and not after untrack or close', async () => {
    let nowMs = 0;
    const sweep = new DeadlineSweep(5, () => nowMs);
    const expired: string[] = [];
    const request = (name: string, deadlineMs: number): Expirable & { deadlineMs: number } => ({
      deadlineMs,
      expire: () => expired.push(name),
    });
    const early = request('early', 10);
    const moved = request('moved', 10);
    const done = request('done', 10);
    for (const r of [early, moved, done]) sweep.track(r);
    moved.deadlineMs = 50;
    sweep.untrack(done);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 30));
    nowMs = 20;
    await tick();
    expect(expired).toEqual(['early']);
    nowMs = 60;
    await tick();
    expect(expired).toEqual(['early', 'moved']);
    const late = request('late', 70);
    sweep.track(late);
    sweep.close();
    nowMs = 100;
    await tick();
    expect(expired).toEqual(['early', 'moved']);
  });
});
