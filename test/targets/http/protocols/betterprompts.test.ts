import { describe, expect, it } from 'vitest';
import { betterpromptsProtocol } from '../../../../src/targets/http/protocols/betterprompts.js';
import type { ProtocolOptions } from '../../../../src/core/workload.js';
import { decodePieces, decodeWhole, piecesOf } from './chunks.js';

type Options = Extract<ProtocolOptions, { protocol: 'betterprompts' }>;

const options: Options = {
  protocol: 'betterprompts',
  classifyApi: 'intents',
  torchserveModel: 'intent_classifier',
  generate: { intent: 'reasoning', complexity: 'moderate', techniques: ['chain_of_thought', 'few_shot'], targetModel: 'gpt-4' },
};
const intents = betterpromptsProtocol(options);
const torchserve = betterpromptsProtocol({ ...options, classifyApi: 'torchserve', torchserveModel: 'my model' });
const config = { maxNewTokens: 64 };

// Response shapes as the services' code defines them (reference/betterprompts-api.md).
const classification = (intent: string) => ({
  intent,
  confidence: 0.93,
  complexity: 'simple',
  suggested_techniques: ['zero_shot'],
  metadata: { processing_time: 0.0123, model_version: 'v1', tokens_used: 12 },
});
const generation = (tokens: number) => ({
  id: 'g1',
  original_text: 'why is the sky blue',
  enhanced_prompt: 'Let us think step by step: why is the sky blue?',
  techniques_applied: ['chain_of_thought'],
  token_count: tokens,
  generation_time_ms: 8.5,
  confidence_score: 0.8,
  model_version: 'v1',
  warnings: [],
  metadata: {},
  created_at: '2026-01-01T00:00:00Z',
});

describe('betterprompts requests', () => {
  it('caps items per stage: classify 100 (1 via TorchServe), generate 100, pipeline 1', () => {
    expect([
      intents.maxItemsPerRequest('classify'),
      intents.maxItemsPerRequest('generate'),
      intents.maxItemsPerRequest('pipeline'),
    ]).toEqual([100, 100, 1]);
    expect(torchserve.maxItemsPerRequest('classify')).toBe(1);
  });

  it('classify uses the single route for one text and the batch route for more', () => {
    const single = intents.request('classify', ['a "quoted" text'], config);
    expect(single).toEqual({ method: 'POST', path: '/api/v1/intents/classify', body: '{"text":"a \\"quoted\\" text"}' });
    const batch = intents.request('classify', ['one', 'twö'], config);
    expect(batch.path).toBe('/api/v1/intents/classify/batch');
    expect(JSON.parse(batch.body)).toEqual({ texts: ['one', 'twö'] });
  });

  it('classify via TorchServe posts to /predictions/<model>, escaped', () => {
    expect(torchserve.request('classify', ['hi'], config)).toEqual({
      method: 'POST',
      path: '/predictions/my%20model',
      body: '{"text":"hi"}',
    });
  });

  it('generate sends the configured intent, techniques, target model and max_tokens; batches under prompts', () => {
    const single = intents.request('generate', ['explain\nthis'], config);
    expect(single.path).toBe('/api/v1/generate');
    const expectedPrompt = (text: string) => ({
      text,
      intent: 'reasoning',
      complexity: 'moderate',
      techniques: ['chain_of_thought', 'few_shot'],
      target_model: 'gpt-4',
      max_tokens: 64,
    });
    expect(JSON.parse(single.body)).toEqual(expectedPrompt('explain\nthis'));
    const batch = intents.request('generate', ['a', 'b', 'c'], { maxNewTokens: 8 });
    expect(batch.path).toBe('/api/v1/generate/batch');
    expect(JSON.parse(batch.body)).toEqual({ prompts: ['a', 'b', 'c'].map((text) => ({ ...expectedPrompt(text), max_tokens: 8 })) });
  });

  it('generate without a set length sends no max_tokens (the generator cuts its answer to ~4 x max_tokens characters)', () => {
    const single = JSON.parse(intents.request('generate', ['why'], { maxNewTokens: null }).body) as Record<string, unknown>;
    expect(single).toEqual({
      text: 'why',
      intent: 'reasoning',
      complexity: 'moderate',
      techniques: ['chain_of_thought', 'few_shot'],
      target_model: 'gpt-4',
    });
    const batch = JSON.parse(intents.request('generate', ['a', 'b'], { maxNewTokens: null }).body) as {
      prompts: Record<string, unknown>[];
    };
    expect(batch.prompts.map((prompt) => 'max_tokens' in prompt)).toEqual([false, false]);
  });

  it('pipeline posts the text to the gateway', () => {
    expect(intents.request('pipeline', ['x'], config)).toEqual({ method: 'POST', path: '/api/v1/enhance', body: '{"text":"x"}' });
  });
});

describe('betterprompts decoders', () => {
  it('classify: server seconds become ms, single and batch', () => {
    expect(decodeWhole(intents.decoder('classify', 1), classification('reasoning'))).toEqual({ ok: true, serverMs: 12.3 });
    const batch = { results: [classification('a'), classification('b'), classification('c')], total_processing_time: 0.25 };
    const bytes = Buffer.from(JSON.stringify(batch));
    expect(decodePieces(intents.decoder('classify', 3), piecesOf(bytes, 7))).toEqual({ ok: true, serverMs: 250 });
  });

  it('classify batch: a result count other than the texts sent, or a result without intent, is protocol_mismatch', () => {
    const two = { results: [classification('a'), classification('b')], total_processing_time: 0.1 };
    expect(decodeWhole(intents.decoder('classify', 3), two)).toEqual({
      ok: false,
      errorClass: 'protocol_mismatch',
      detail: 'results has 2 entries for 3 texts',
    });
    const noIntent = { results: [classification('a'), { confidence: 1 }], total_processing_time: 0.1 };
    expect(decodeWhole(intents.decoder('classify', 2), noIntent)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'results.1.intent is missing',
    });
    const secondsAsString = { results: [classification('a'), classification('b')], total_processing_time: '0.1' };
    expect(decodeWhole(intents.decoder('classify', 2), secondsAsString)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'total_processing_time is not a number (got string)',
    });
  });

  it('classify single: missing processing time or invalid JSON', () => {
    const { metadata: _dropped, ...withoutMetadata } = classification('a');
    expect(decodeWhole(intents.decoder('classify', 1), withoutMetadata)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'metadata.processing_time is missing',
    });
    expect(decodeWhole(intents.decoder('classify', 1), '{"intent": "a", ')).toMatchObject({ ok: false, errorClass: 'malformed_body' });
  });

  it('TorchServe: serverMs is metadata.inference_time_ms as is', () => {
    const body = {
      intent: 'code_generation',
      confidence: 0.9,
      complexity: { score: 0.4, level: 'moderate' },
      techniques: [{ name: 'few_shot', confidence: 0.7 }],
      metadata: { model_version: 'v2', processing_time: 0.02, inference_time_ms: 14.5 },
    };
    expect(decodeWhole(torchserve.decoder('classify', 1), body)).toEqual({ ok: true, serverMs: 14.5 });
  });

  it('generate: serverMs from generation_time_ms, outputTokens from token_count, outputChars the enhanced prompt received (batch: per item)', () => {
    const chars = generation(0).enhanced_prompt.length;
    expect(decodeWhole(intents.decoder('generate', 1), generation(40))).toEqual({
      ok: true,
      serverMs: 8.5,
      outputTokens: 40,
      outputChars: chars,
    });
    const shortAnswer = { ...generation(30), enhanced_prompt: 'Let us' };
    const batch = {
      batch_id: 'b',
      total_prompts: 2,
      successful: 2,
      failed: 0,
      results: [generation(10), shortAnswer],
      errors: [],
      processing_time_ms: 21,
    };
    expect(decodeWhole(intents.decoder('generate', 2), batch)).toEqual({
      ok: true,
      serverMs: 21,
      outputTokens: 20,
      outputChars: (chars + 6) / 2,
    });
  });

  it('generate batch: failures or a short result list are protocol_mismatch', () => {
    const failed = {
      batch_id: 'b',
      total_prompts: 2,
      successful: 1,
      failed: 1,
      results: [generation(10)],
      errors: ['x'],
      processing_time_ms: 5,
    };
    expect(decodeWhole(intents.decoder('generate', 2), failed)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'failed is 1 (the batch had failures)',
    });
    const short = { ...failed, successful: 1, failed: 0 };
    expect(decodeWhole(intents.decoder('generate', 2), short)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'results has 1 entry for 2 texts',
    });
  });

  it('pipeline: serverMs from processing_time_ms; enhanced_prompt must be a string', () => {
    const body = {
      id: 'e1',
      original_text: 'x',
      enhanced_text: 'better x',
      enhanced_prompt: 'better x',
      intent: 'reasoning',
      complexity: 'simple',
      techniques: ['zero_shot'],
      techniques_used: ['zero_shot'],
      confidence: 0.7,
      processing_time_ms: 301.5,
      enhanced: true,
      metadata: { tokens_used: 10, model_version: 'v1' },
    };
    expect(decodeWhole(intents.decoder('pipeline', 1), body)).toEqual({ ok: true, serverMs: 301.5, outputChars: 8 });
    expect(decodeWhole(intents.decoder('pipeline', 1), { ...body, enhanced_prompt: null })).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'enhanced_prompt is not a string (got null)',
    });
  });
});
