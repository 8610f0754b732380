import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import type { RunnerTarget } from '../../../src/runner/types.js';
import { MISSING_FINISH_REASON } from '../../../src/targets/http/protocols/openai.js';
import type { HttpTarget } from '../../../src/targets/http/target.js';
import type { FaultServer } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, templateSpec } from './spec.js';

let server: FaultServer | undefined;
let target: HttpTarget | undefined;
const open = closedAfterEach();

const OPENAI_STREAM = {
  protocol: 'openai',
  models: { classify: 'm', generate: 'm', pipeline: 'm' },
  api: 'completions',
  stream: true,
} as const;

const token = (text: string) => `data: {"choices":[{"index":0,"text":"${text}","finish_reason":null}]}\n\n`;
const STOP = 'data: {"choices":[{"index":0,"text":"","finish_reason":"stop"}]}\n\n';

describe('HttpTarget with a streaming protocol', () => {
  it('turns the decoder stamps into TTFT from t_write, inter-token latency and output tokens', async () => {
    const gapMs = 40;
    server = await open.server({ kind: 'slow-body', chunks: [token('a'), token('b'), token('c'), `${STOP}data: [DONE]\n\n`], gapMs });
    target = await open.target(templateSpec(server.url, { protocol: 'openai', options: OPENAI_STREAM }));
    const runnerTarget: RunnerTarget = target;
    await runnerTarget.configure('generate', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 3 });
    const result = await target.submit('generate', 'hi', epochNowMs());
    expect(result).toMatchObject({ ok: true, outputTokens: 3 });
    expect(result.ttftMs).toBeGreaterThanOrEqual(gapMs - 1);
    expect(result.ttftMs).toBeLessThan(result.inferenceMs - 2 * gapMs + 1);
    // Client-side stamps of chunks sent 40 ms apart can bunch up on a loaded machine.
    expect(result.itlMs).toBeGreaterThanOrEqual(gapMs / 2);
    expect(result.itlMs).toBeLessThan(gapMs * 3);
    const sent = JSON.parse(server.received[0]?.body ?? '') as { max_tokens: number; stream: boolean };
    expect(sent).toMatchObject({ max_tokens: 3, stream: true });
    expect(server.received[0]?.headers.accept).toBe('text/event-stream');
    expect(server.received[0]?.url).toBe('/v1/completions');
  });

  it('classes a stream that ends before [DONE] as stream_truncated', async () => {
    server = await open.server({ kind: 'slow-body', chunks: [token('a')], gapMs: 5 });
    target = await open.target(templateSpec(server.url, { protocol: 'openai', options: OPENAI_STREAM }));
    expect(await target.submit('generate', 'hi', epochNowMs())).toMatchObject({ ok: false, errorClass: 'stream_truncated' });
  });

  it('text then [DONE] without a finish_reason: every item ok, with its text length, and one notice counted per response', async () => {
    server = await open.server({ kind: 'slow-body', chunks: [token('Hel'), token('lo'), 'data: [DONE]\n\n'], gapMs: 2 });
    target = await open.target(templateSpec(server.url, { protocol: 'openai', options: OPENAI_STREAM }));
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await target.submit('generate', `hi ${i}`, epochNowMs()));
    expect(results.map((r) => [r.ok, r.errorClass, r.outputChars])).toEqual([
      [true, undefined, 5],
      [true, undefined, 5],
      [true, undefined, 5],
    ]);
    expect([...target.notices]).toEqual([[MISSING_FINISH_REASON, 3]]);
    expect(target.errorDetails.size).toBe(0);
    // No length configured: the request leaves max_tokens out.
    expect(JSON.parse(server.received[0]?.body ?? '')).not.toHaveProperty('max_tokens');
  });
});
