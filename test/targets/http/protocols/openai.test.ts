import { describe, expect, it } from 'vitest';
import { MISSING_FINISH_REASON, openaiProtocol } from '../../../../src/targets/http/protocols/openai.js';
import type { ProtocolOptions } from '../../../../src/core/workload.js';
import { decodePieces, decodeWhole, piecesOf, randomPieces } from './chunks.js';

type Options = Extract<ProtocolOptions, { protocol: 'openai' }>;

const options: Options = {
  protocol: 'openai',
  models: { classify: 'intent-classifier', generate: 'prompt-generator', pipeline: 'enhance' },
  api: 'completions',
  stream: false,
};
const completions = openaiProtocol(options);
const chat = openaiProtocol({ ...options, api: 'chat' });
const completionsStream = openaiProtocol({ ...options, stream: true });
const chatStream = openaiProtocol({ ...options, api: 'chat', stream: true });
const config = { maxNewTokens: 16 };

/** One SSE event line pair. */
const sse = (payload: object | string) => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
const token = (index: number, text: string) => sse({ id: 'c', object: 'text_completion', choices: [{ index, text, finish_reason: null }] });
const stop = (index: number) => sse({ id: 'c', object: 'text_completion', choices: [{ index, text: '', finish_reason: 'length' }] });
const chatDelta = (delta: object, finish: string | null = null) =>
  sse({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
const DONE = sse('[DONE]');

describe('openai requests', () => {
  it('completions: one prompt as a string, several as an array, with the stage model and max_tokens', () => {
    const one = completions.request('classify', ['hi "there"'], config);
    expect(one).toEqual({
      method: 'POST',
      path: '/v1/completions',
      body: '{"model":"intent-classifier","prompt":"hi \\"there\\"","max_tokens":16,"stream":false}',
    });
    const many = completions.request('generate', ['a', 'b'], { maxNewTokens: 4 });
    expect(JSON.parse(many.body)).toEqual({ model: 'prompt-generator', prompt: ['a', 'b'], max_tokens: 4, stream: false });
  });

  it('no max_tokens unless a length is set: the server answers at its own length', () => {
    expect(completions.request('generate', ['a'], { maxNewTokens: null }).body).toBe(
      '{"model":"prompt-generator","prompt":"a","stream":false}',
    );
    expect(JSON.parse(chatStream.request('generate', ['a'], { maxNewTokens: null }).body)).toEqual({
      model: 'prompt-generator',
      messages: [{ role: 'user', content: 'a' }],
      stream: true,
    });
  });

  it('chat: one user message; streaming asks for an event stream', () => {
    const request = chatStream.request('pipeline', ['ünïcode'], config);
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers).toEqual({ accept: 'text/event-stream' });
    expect(JSON.parse(request.body)).toEqual({
      model: 'enhance',
      messages: [{ role: 'user', content: 'ünïcode' }],
      max_tokens: 16,
      stream: true,
    });
    expect(chat.request('pipeline', ['x'], config).headers).toBeUndefined();
  });

  it('completions take 1000 prompts per request, chat one', () => {
    expect(completions.maxItemsPerRequest('generate')).toBe(1000);
    expect(chat.maxItemsPerRequest('generate')).toBe(1);
  });
});

describe('openai non-streaming decoder', () => {
  const answer = (texts: string[], usage?: object) => ({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'prompt-generator',
    choices: texts.map((text, index) => ({ index, text, finish_reason: 'stop' })),
    ...(usage === undefined ? {} : { usage }),
  });

  it('outputTokens is usage.completion_tokens per item (no usage, no count); outputChars the text per item', () => {
    const body = answer(['a b', 'c'], { prompt_tokens: 4, completion_tokens: 10, total_tokens: 14 });
    expect(decodeWhole(completions.decoder('generate', 2), body)).toEqual({ ok: true, serverMs: null, outputTokens: 5, outputChars: 2 });
    expect(decodeWhole(completions.decoder('generate', 1), answer(['a']))).toEqual({
      ok: true,
      serverMs: null,
      outputTokens: undefined,
      outputChars: 1,
    });
  });

  it('choices must match the texts sent and carry text (chat: message.content)', () => {
    expect(decodeWhole(completions.decoder('generate', 3), answer(['a', 'b']))).toEqual({
      ok: false,
      errorClass: 'protocol_mismatch',
      detail: 'choices has 2 entries for 3 texts',
    });
    const noText = { ...answer(['a']), choices: [{ index: 0, finish_reason: 'stop' }] };
    expect(decodeWhole(completions.decoder('generate', 1), noText)).toMatchObject({ detail: 'choices.0.text is missing' });
    const chatBody = {
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
      usage: { completion_tokens: 2 },
    };
    expect(decodeWhole(chat.decoder('generate', 1), chatBody)).toEqual({ ok: true, serverMs: null, outputTokens: 2, outputChars: 5 });
    expect(decodeWhole(chat.decoder('generate', 1), answer(['a']))).toMatchObject({ detail: 'choices.0.message.content is missing' });
    expect(decodeWhole(chat.decoder('generate', 1), { ...chatBody, usage: { completion_tokens: -1 } })).toMatchObject({
      detail: 'usage.completion_tokens is negative (-1)',
    });
  });

  it('a non-JSON body is malformed_body', () => {
    expect(decodeWhole(completions.decoder('generate', 1), 'data: {"choices": []}\n\n')).toMatchObject({
      ok: false,
      errorClass: 'malformed_body',
    });
  });
});

describe('openai streaming decoder', () => {
  it('stamps TTFT at the first chunk with text and ITL as the mean gap, one event per chunk', () => {
    const pieces = [token(0, 'The'), token(0, ' sky'), token(0, ' is'), token(0, ' blue'), stop(0), DONE].map((text) => Buffer.from(text));
    // Arrivals at 1000, 1010, 1020, ... ms.
    expect(decodePieces(completionsStream.decoder('generate', 1), pieces, 1_000, 10)).toEqual({
      ok: true,
      serverMs: null,
      firstTokenAtMs: 1_000,
      itlMs: 10,
      outputTokens: 4,
      outputChars: 'The sky is blue'.length,
    });
  });

  it('tokens in one chunk share its stamp; empty text does not count as the first token', () => {
    const pieces = [
      sse({ choices: [{ index: 0, text: '', finish_reason: null }] }),
      token(0, 'a') + token(0, 'b'),
      token(0, 'c') + stop(0) + DONE,
    ].map((text) => Buffer.from(text));
    // Stamps 500, 530, 560: gaps a->b 0, b->c 30.
    expect(decodePieces(completionsStream.decoder('generate', 1), pieces, 500, 30)).toMatchObject({
      ok: true,
      firstTokenAtMs: 530,
      itlMs: 15,
      outputTokens: 3,
    });
  });

  it('byte by byte, an event counts when its blank line arrives; UTF-8 split inside tokens is fine', () => {
    const body = token(0, '日本') + token(0, '🚀') + stop(0) + DONE;
    const bytes = Buffer.from(body, 'utf8');
    const firstEventEnd = bytes.indexOf('\n\n') + 1;
    const secondEventEnd = bytes.indexOf('\n\n', firstEventEnd + 1) + 1;
    const decoded = decodePieces(completionsStream.decoder('generate', 1), piecesOf(bytes, 1), 0, 1);
    expect(decoded).toEqual({
      ok: true,
      serverMs: null,
      firstTokenAtMs: firstEventEnd,
      itlMs: secondEventEnd - firstEventEnd,
      outputTokens: 2,
      outputChars: '日本🚀'.length,
    });
    for (let seed = 1; seed <= 20; seed++) {
      expect(decodePieces(completionsStream.decoder('generate', 1), randomPieces(bytes, seed, 9))).toMatchObject({
        ok: true,
        outputTokens: 2,
      });
    }
  });

  it('several prompts: gaps are taken within each choice and pooled; usage overrides the event count', () => {
    // choice 0 at 0, 10, 20; choice 1 at 10, 30 (gaps 10, 10, 20 -> mean 40/3).
    const pieces = [token(0, 'a'), token(1, 'x') + token(0, 'b'), token(0, 'c'), token(1, 'y') + stop(0) + stop(1), DONE].map((text) =>
      Buffer.from(text),
    );
    expect(decodePieces(completionsStream.decoder('generate', 2), pieces, 0, 10)).toEqual({
      ok: true,
      serverMs: null,
      firstTokenAtMs: 0,
      itlMs: 40 / 3,
      outputTokens: 2.5,
      outputChars: 2.5,
    });
    const withUsage = [
      ...pieces.slice(0, 4),
      Buffer.from(sse({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 8, total_tokens: 10 } })),
      pieces[4] as Buffer,
    ];
    expect(decodePieces(completionsStream.decoder('generate', 2), withUsage, 0, 10)).toMatchObject({ ok: true, outputTokens: 4 });
  });

  it('chat streams read delta.content; the role-only first delta is not a token', () => {
    const body =
      chatDelta({ role: 'assistant', content: '' }) +
      chatDelta({ content: 'Hi' }) +
      chatDelta({ content: '!' }) +
      chatDelta({}, 'stop') +
      DONE;
    const pieces = body.split(/(?<=\n\n)/).map((text) => Buffer.from(text));
    expect(decodePieces(chatStream.decoder('pipeline', 1), pieces, 100, 5)).toEqual({
      ok: true,
      serverMs: null,
      firstTokenAtMs: 105,
      itlMs: 5,
      outputTokens: 2,
      outputChars: 3,
    });
  });

  it('one token only: TTFT without ITL; no tokens at all: neither', () => {
    expect(decodeWhole(completionsStream.decoder('generate', 1), token(0, 'a') + stop(0) + DONE)).toEqual({
      ok: true,
      serverMs: null,
      firstTokenAtMs: 1_000,
      itlMs: undefined,
      outputTokens: 1,
      outputChars: 1,
    });
    expect(decodeWhole(completionsStream.decoder('generate', 1), stop(0) + DONE)).toMatchObject({
      ok: true,
      firstTokenAtMs: undefined,
      outputTokens: 0,
      outputChars: 0,
    });
  });

  it('a stream without [DONE] is stream_truncated; a [DONE] missing only its blank line is accepted', () => {
    expect(decodeWhole(completionsStream.decoder('generate', 1), token(0, 'a') + stop(0))).toEqual({
      ok: false,
      errorClass: 'stream_truncated',
      detail: 'stream ended without [DONE] after 2 events',
    });
    expect(decodeWhole(completionsStream.decoder('generate', 1), token(0, 'a') + 'data: {"choices":[{"ind')).toMatchObject({
      errorClass: 'stream_truncated',
      detail: 'stream ended without [DONE] after 1 events (last event cut off)',
    });
    expect(decodeWhole(completionsStream.decoder('generate', 1), '')).toMatchObject({ errorClass: 'stream_truncated' });
    expect(decodeWhole(completionsStream.decoder('generate', 1), token(0, 'a') + stop(0) + 'data: [DONE]\n')).toMatchObject({
      ok: true,
      outputTokens: 1,
    });
  });

  it('text then [DONE] with no finish_reason (several OpenAI-compatible servers): a complete answer carrying one notice', () => {
    const pieces = [token(0, 'Hel'), token(0, 'lo'), DONE].map((text) => Buffer.from(text));
    const decoded = decodePieces(completionsStream.decoder('generate', 1), pieces, 0, 10);
    expect(decoded).toEqual({
      ok: true,
      serverMs: null,
      firstTokenAtMs: 0,
      itlMs: 10,
      outputTokens: 2,
      outputChars: 5,
      notice: MISSING_FINISH_REASON,
    });
    // Per choice: one finished, one only sent text.
    expect(decodeWhole(completionsStream.decoder('generate', 2), token(0, 'a') + token(1, 'b') + stop(0) + DONE)).toMatchObject({
      ok: true,
      notice: MISSING_FINISH_REASON,
    });
    // With every finish_reason there, no notice.
    expect(decodeWhole(completionsStream.decoder('generate', 1), token(0, 'a') + stop(0) + DONE)).not.toHaveProperty('notice');
    // Without [DONE] it is still cut short.
    expect(decodeWhole(completionsStream.decoder('generate', 1), token(0, 'a'))).toMatchObject({
      ok: false,
      errorClass: 'stream_truncated',
    });
  });

  it('bad events: invalid JSON is malformed_body; a missing choices list, wrong index or a choice with neither text nor finish is protocol_mismatch', () => {
    const decode = (body: string, items = 1) => decodeWhole(completionsStream.decoder('generate', items), body);
    expect(decode(token(0, 'a') + sse('{not json') + stop(0) + DONE)).toMatchObject({
      errorClass: 'malformed_body',
      detail: expect.stringMatching(/^event 2: invalid JSON/),
    });
    expect(decode(token(1, 'a') + DONE)).toEqual({
      ok: false,
      errorClass: 'protocol_mismatch',
      detail: 'event 1: choices.0.index is 1 for 1 text',
    });
    expect(decode(token(0, 'a') + stop(0) + DONE, 2)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'choice 1 of 2 sent neither text nor a finish_reason',
    });
    expect(decode(sse({ id: 'c' }) + DONE)).toMatchObject({ errorClass: 'protocol_mismatch', detail: 'event 1: choices is missing' });
    expect(decode(sse({ choices: [{ index: 0, text: 7, finish_reason: null }] }) + DONE)).toMatchObject({
      detail: 'event 1: choices.0.text is not a string (got number)',
    });
  });

  it('an error event after the stream started (as pipebench serve sends it) is stream_truncated with its message', () => {
    const failed = token(0, 'a') + sse({ error: { message: 'CUDA out of memory', type: 'server_error' } });
    expect(decodeWhole(completionsStream.decoder('generate', 1), failed)).toEqual({
      ok: false,
      errorClass: 'stream_truncated',
      detail: 'event 2: server error mid-stream: CUDA out of memory',
    });
    expect(decodeWhole(completionsStream.decoder('generate', 1), sse({ error: 'overloaded' }) + DONE)).toMatchObject({
      errorClass: 'stream_truncated',
      detail: 'event 1: server error mid-stream: overloaded',
    });
  });
});
