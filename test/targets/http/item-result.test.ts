/** An HTTP item's result from the attempt that ended it: timed from the first write, retries only when there were any. */
import { describe, expect, it } from 'vitest';
import { httpItemResult } from '../../../src/targets/http/item-result.js';
import type { SendOutcome } from '../../../src/targets/http/send.js';

const ok = (tWriteMs: number, tResponseMs: number, extra: object = {}): SendOutcome => ({
  ok: true,
  tWriteMs,
  tResponseMs,
  decoded: { ok: true, serverMs: null, ...extra },
});

describe('httpItemResult', () => {
  it('splits queue and inference at the first write; no retries field on a first-attempt answer', () => {
    expect(httpItemResult(ok(1003, 1010), 1003, 0, 1000, 1)).toEqual({
      ok: true,
      tArrivalMs: 1000,
      tResponseMs: 1010,
      queueMs: 3,
      inferenceMs: 7,
      batchSize: 1,
    });
  });

  it('after resends: timed from the first attempt, TTFT from the attempt that answered, the resends counted', () => {
    const result = httpItemResult(ok(1020, 1050, { serverMs: 12, firstTokenAtMs: 1030, outputTokens: 4 }), 1002, 2, 1000, 1);
    expect(result).toMatchObject({ queueMs: 2, inferenceMs: 48, retries: 2, serverMs: 12, ttftMs: 10, outputTokens: 4 });
  });

  it('a failure never written counts its whole time as queue, none as inference, and keeps its class', () => {
    const failed: SendOutcome = {
      ok: false,
      errorClass: 'connection_refused',
      tWriteMs: null,
      tResponseMs: 1005,
      statusCode: null,
      retryAfterMs: null,
      detail: 'ECONNREFUSED',
      detailTruncated: false,
      resendOn: null,
    };
    expect(httpItemResult(failed, null, 0, 1000, 4)).toEqual({
      ok: false,
      errorClass: 'connection_refused',
      tArrivalMs: 1000,
      tResponseMs: 1005,
      queueMs: 5,
      inferenceMs: 0,
      batchSize: 4,
    });
  });
});
