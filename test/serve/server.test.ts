import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTENTS } from '../../src/models/taxonomy.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { type InProcessTarget } from '../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../src/targets/inprocess/create-target.js';

// One real wasm worker with the built-in small models behind a real server on 127.0.0.1:0.
let target: InProcessTarget;
let server: RunningServer;
const spec = (name: 'intent-classifier' | 'prompt-generator') =>
  ({ kind: 'builtin', name, size: 'small', cacheDir: '/tmp/pipebench-test-cache' }) as const;
const batching = { maxBatchSize: 16, maxQueueDelayMs: 2, maxNewTokens: 16 };
const TEXT = 'explain step by step how to plan a three day trip to rome';

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 1,
    models: { classify: spec('intent-classifier'), generate: spec('prompt-generator') },
  });
  server = await startServer({ target, batching, port: 0 });
});
afterAll(async () => {
  await server.close();
  await target.close();
});

async function post(
  path: string,
  body: unknown,
  base = server.url,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('BetterPrompts routes', () => {
  it('classifies one text with processing_time in seconds', async () => {
    const { status, json } = await post('/api/v1/intents/classify', { text: TEXT });
    expect(status).toBe(200);
    expect(INTENTS).toContain(json['intent']);
    expect(json['confidence']).toBeGreaterThan(0);
    expect(json['confidence']).toBeLessThanOrEqual(1);
    expect(['simple', 'moderate', 'complex']).toContain(json['complexity']);
    expect((json['suggested_techniques'] as unknown[]).length).toBeGreaterThan(0);
    const meta = json['metadata'] as Record<string, number | string>;
    expect(meta['processing_time']).toBeGreaterThan(0);
    expect(meta['processing_time']).toBeLessThan(5); // seconds, not ms
    expect(meta['tokens_used']).toBe(13);
    expect(typeof meta['model_version']).toBe('string');
  });

  it('classifies a batch in one answer and rejects 0 or 101 texts', async () => {
    const texts = ['write a poem about autumn', 'translate hello into french', TEXT];
    const { status, json } = await post('/api/v1/intents/classify/batch', { texts });
    expect(status).toBe(200);
    expect((json['results'] as unknown[]).length).toBe(3);
    expect(json['total_processing_time']).toBeGreaterThan(0);
    expect(json['total_processing_time']).toBeLessThan(5);
    for (const bad of [[], Array.from({ length: 101 }, () => 'x')]) {
      const r = await post('/api/v1/intents/classify/batch', { texts: bad });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: expect.any(String), details: expect.stringContaining('texts') });
    }
  });

  it('validates text length and required fields with 400 {error, details}', async () => {
    for (const body of [{}, { text: '' }, { text: 'x'.repeat(5001) }, { text: 5 }]) {
      const r = await post('/api/v1/intents/classify', body);
      expect(r.status).toBe(400);
      expect(r.json['details']).toContain('text');
    }
    const r = await post('/api/v1/generate', { text: TEXT, intent: 'reasoning', techniques: ['not_a_technique'] });
    expect(r.status).toBe(400);
    expect(r.json['details']).toContain('not_a_technique');
  });

  it('generates one and a batch with generation_time_ms and token_count', async () => {
    const one = {
      text: TEXT,
      intent: 'task_planning',
      complexity: 'moderate',
      techniques: ['step_by_step'],
      target_model: 'gpt-4',
      max_tokens: 100,
    };
    const single = await post('/api/v1/generate', one);
    expect(single.status).toBe(200);
    expect(single.json).toMatchObject({ original_text: TEXT, techniques_applied: ['step_by_step'], token_count: 16, warnings: [] });
    expect(typeof single.json['enhanced_prompt']).toBe('string');
    expect((single.json['enhanced_prompt'] as string).length).toBeGreaterThan(0);
    expect(single.json['generation_time_ms']).toBeGreaterThan(1);
    for (const field of ['id', 'confidence_score', 'model_version', 'metadata', 'created_at']) expect(single.json).toHaveProperty(field);
    const batch = await post('/api/v1/generate/batch', { prompts: [one, { ...one, text: 'write a haiku about the sea' }] });
    expect(batch.status).toBe(200);
    expect(batch.json).toMatchObject({ total_prompts: 2, successful: 2, failed: 0, errors: [] });
    expect((batch.json['results'] as unknown[]).length).toBe(2);
    expect(batch.json['processing_time_ms']).toBeGreaterThan(1);
  });

  it('enhances (classify -> techniques -> generate) and answers TorchServe predictions and health', async () => {
    const { status, json } = await post('/api/v1/enhance', { text: TEXT });
    expect(status).toBe(200);
    expect(json['enhanced_text']).toBe(json['enhanced_prompt']);
    expect(INTENTS).toContain(json['intent']);
    expect(json['techniques']).toEqual(json['techniques_used']);
    expect(json['enhanced']).toBe(true);
    expect(json['processing_time_ms']).toBeGreaterThan(1);
    expect(json['metadata']).toMatchObject({ tokens_used: 16 });
    const ts = await post('/predictions/intent_classifier', { text: TEXT });
    expect(ts.json['complexity']).toMatchObject({ level: expect.any(String), score: expect.any(Number) });
    expect((ts.json['metadata'] as Record<string, number>)['inference_time_ms']).toBeGreaterThan(0);
    for (const path of ['/api/v1/health', '/health']) {
      expect(await (await fetch(server.url + path)).json()).toEqual({ status: 'healthy', service: 'pipebench-serve' });
    }
    expect((await fetch(server.url + '/ping')).status).toBe(200);
  });
});

describe('KServe v2 routes', () => {
  it('infers with shape [n] outputs and inference_time_ms', async () => {
    const texts = ['write a poem about autumn', TEXT];
    const input = { inputs: [{ name: 'text', shape: [2], datatype: 'BYTES', data: texts }] };
    const cls = await post('/v2/models/intent-classifier/infer', input);
    expect(cls.status).toBe(200);
    const outputs = cls.json['outputs'] as { name: string; shape: number[]; datatype: string; data: unknown[] }[];
    expect(outputs.map((o) => [o.name, o.datatype, o.shape[0]])).toEqual([
      ['intent', 'BYTES', 2],
      ['confidence', 'FP32', 2],
    ]);
    expect((cls.json['parameters'] as Record<string, number>)['inference_time_ms']).toBeGreaterThan(0);
    const gen = await post('/v2/models/enhance/infer', input);
    expect((gen.json['outputs'] as { name: string; data: string[] }[])[0]).toMatchObject({ name: 'enhanced_prompt', shape: [2] });
    const missing = await post('/v2/models/nope/infer', input);
    expect(missing.status).toBe(404);
    expect(missing.json['error']).toContain('nope');
    expect((await fetch(server.url + '/v2/health/ready')).status).toBe(200);
    expect((await fetch(server.url + '/v2/health/live')).status).toBe(200);
    expect(await (await fetch(server.url + '/v2/models/prompt-generator')).json()).toMatchObject({
      name: 'prompt-generator',
      inputs: [{ name: 'text', datatype: 'BYTES' }],
    });
  });
});

describe('limits and errors', () => {
  it('404 unknown route, 405 wrong method, 400 malformed JSON', async () => {
    expect((await fetch(server.url + '/nope')).status).toBe(404);
    const wrong = await fetch(server.url + '/api/v1/enhance');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const bad = await fetch(server.url + '/api/v1/enhance', { method: 'POST', body: '{"text": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Record<string, string>)['error']).toContain('JSON');
  });

  it('answers 413 to a 2 MiB body and stays up', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/api/v1/enhance`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 2 * 1024 * 1024 } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(Buffer.alloc(2 * 1024 * 1024, 0x20));
    });
    expect(status).toBe(413);
    expect((await fetch(server.url + '/health')).status).toBe(200);
  });

  it('answers 413 to a chunked body once it passes the limit (no Content-Length to go by)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/api/v1/enhance`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // Once the answer is in, the server closing the connection under our writes is expected.
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 32; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect((await fetch(server.url + '/health')).status).toBe(200);
  });

  it('/metrics counts the requests made, in Prometheus text format', async () => {
    const before = await (await fetch(server.url + '/metrics')).text();
    const count = (text: string) =>
      Number(/pipebench_serve_requests_total\{route="\/api\/v1\/intents\/classify",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
    await post('/api/v1/intents/classify', { text: TEXT });
    await post('/api/v1/intents/classify', { text: TEXT });
    const res = await fetch(server.url + '/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const after = await res.text();
    expect(count(after) - count(before)).toBe(2);
    expect(after).toContain('# TYPE pipebench_serve_request_duration_seconds histogram');
    expect(after).toMatch(/pipebench_serve_request_duration_seconds_bucket\{route="\/api\/v1\/intents\/classify",le="\+Inf"\} \d+/);
    expect(after).toMatch(/pipebench_serve_queue_seconds_count \d+/);
    expect(after).toMatch(/pipebench_serve_batch_size_bucket\{le="1"\} \d+/);
    expect(after).toContain('pipebench_serve_in_flight 0');
    expect(after).toMatch(/pipebench_serve_requests_total\{route="unmatched",status="404"\} \d+/);
  });
});

describe('admission and injected latency', () => {
  it('--max-in-flight 1: three concurrent requests get at least one 503 with Retry-After', async () => {
    const limited = await startServer({ target, batching, port: 0, maxInFlight: 1, addedLatencyMs: 50 });
    try {
      const answers = await Promise.all([1, 2, 3].map(() => post('/api/v1/enhance', { text: TEXT }, limited.url)));
      const busy = answers.filter((a) => a.status === 503);
      expect(busy.length).toBeGreaterThanOrEqual(1);
      expect(busy[0]?.headers.get('retry-after')).toBe('1');
      expect(answers.some((a) => a.status === 200)).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('--added-latency 100: responses take at least 100 ms and report it as server time', async () => {
    const slow = await startServer({ target, batching, port: 0, addedLatencyMs: 100 });
    try {
      const t0 = performance.now();
      const { json } = await post('/api/v1/generate', { text: TEXT, intent: 'reasoning', techniques: [] }, slow.url);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
      expect(json['generation_time_ms']).toBeGreaterThanOrEqual(100);
    } finally {
      await slow.close();
    }
  });
});

describe('lifecycle', () => {
  it('close() lets an in-flight request finish, then refuses new connections', async () => {
    const draining = await startServer({ target, batching, port: 0, addedLatencyMs: 200 });
    const inFlight = post('/api/v1/intents/classify', { text: TEXT }, draining.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t0 = performance.now();
    await draining.close();
    expect(performance.now() - t0).toBeGreaterThan(50);
    expect((await inFlight).status).toBe(200);
    await expect(fetch(draining.url + '/health')).rejects.toThrow();
  });
});
