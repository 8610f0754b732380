import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTENTS } from '../../src/models/taxonomy.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { type InProcessTarget } from '../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../src/targets/inprocess/create-target.js';

let target: InProcessTarget;
let server: RunningServer;
const spec = (name: 'intent-classifier' | 'prompt-generator') =>
  ({ kind: 'builtin', name, size: 'small', cacheDir: '/tmp/pipebench-test-cache' }) as const;
const TEXT = 'explain step by step how to plan a three day trip to rome';

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 1,
    models: { classify: spec('intent-classifier'), generate: spec('prompt-generator') },
  });
  server = await startServer({ target, batching: { maxBatchSize: 16, maxQueueDelayMs: 2, maxNewTokens: 16 }, port: 0 });
});
afterAll(async () => {
  await server.close();
  await target.close();
});

interface Arrived {
  readonly atMs: number;
  readonly data: string;
}

/** Reads an SSE answer, stamping each event with when its chunk arrived here. */
async function stream(path: string, body: unknown): Promise<{ status: number; contentType: string | null; events: Arrived[] }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(body as object), stream: true }),
  });
  const events: Arrived[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const atMs = performance.now();
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (event.startsWith('data: ')) events.push({ atMs, data: event.slice(6) });
    }
  }
  return { status: res.status, contentType: res.headers.get('content-type'), events };
}

type Chunk = {
  choices: { index: number; text?: string; delta?: { content?: string }; finish_reason: string | null }[];
  usage?: Record<string, number>;
};
const parse = (events: Arrived[]): Chunk[] => events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Chunk);

describe('OpenAI routes', () => {
  it('lists the models', async () => {
    const json = (await (await fetch(server.url + '/v1/models')).json()) as { object: string; data: { id: string; object: string }[] };
    expect(json.object).toBe('list');
    expect(json.data.map((m) => m.id).sort()).toEqual(['enhance', 'intent-classifier', 'prompt-generator']);
    expect(json.data.every((m) => m.object === 'model')).toBe(true);
  });

  it('completes an array of prompts with one choice each and usage; max_tokens caps the tokens', async () => {
    const res = await fetch(server.url + '/v1/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'prompt-generator', prompt: [TEXT, 'write a poem about autumn'], max_tokens: 3 }),
    });
    const json = (await res.json()) as {
      object: string;
      choices: { index: number; text: string; finish_reason: string }[];
      usage: Record<string, number>;
    };
    expect(json.object).toBe('text_completion');
    expect(json.choices.map((c) => c.index)).toEqual([0, 1]);
    for (const c of json.choices) {
      expect(c.text.length).toBeGreaterThan(0);
      expect(c.text.split(' ').length).toBeLessThanOrEqual(3);
      expect(c.finish_reason).toBe('length');
    }
    expect(json.usage['completion_tokens']).toBe(6);
    expect(json.usage['total_tokens']).toBe(json.usage['prompt_tokens']! + 6);
  });

  it('answers chat with the intent label for the classifier model, and 404 for an unknown model', async () => {
    const res = await fetch(server.url + '/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'intent-classifier', messages: [{ role: 'user', content: TEXT }] }),
    });
    const json = (await res.json()) as { object: string; choices: { message: { role: string; content: string } }[] };
    expect(json.object).toBe('chat.completion');
    expect(INTENTS).toContain(json.choices[0]?.message.content);
    const missing = await fetch(server.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'gpt-9', prompt: 'hi' }) });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('gpt-9');
  });

  it('streams completions as the tokens come out: events over time, finish, usage, [DONE]', async () => {
    const { status, contentType, events } = await stream('/v1/completions', { model: 'prompt-generator', prompt: TEXT });
    expect(status).toBe(200);
    expect(contentType).toContain('text/event-stream');
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = parse(events);
    const content = chunks.filter((c) => (c.choices[0]?.text ?? '') !== '');
    expect(content.length).toBeGreaterThan(1);
    expect(content.length).toBeLessThanOrEqual(16);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason !== null && c.choices.length > 0);
    expect(['stop', 'length']).toContain(finish?.choices[0]?.finish_reason);
    expect(chunks.at(-1)?.usage?.['completion_tokens']).toBe(content.length);
    // Real streaming: the first token's event arrived before the last one's, not all in one burst.
    const contentEvents = events.filter((e) => e.data !== '[DONE]' && (JSON.parse(e.data) as Chunk).choices[0]?.text);
    expect(new Set(contentEvents.map((e) => e.atMs)).size).toBeGreaterThan(1);
    expect(contentEvents[0]!.atMs).toBeLessThan(contentEvents.at(-1)!.atMs);
  });

  it('streams chat deltas ending with [DONE]', async () => {
    const { events } = await stream('/v1/chat/completions', { model: 'enhance', messages: [{ role: 'user', content: TEXT }] });
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = parse(events);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop' || c.choices[0]?.finish_reason === 'length')).toBe(true);
  });

  it('turns a busy or bad stream request into a plain JSON error before any event', async () => {
    const res = await fetch(server.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ prompt: '', stream: true }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});
