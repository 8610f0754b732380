/**
 * Wire agreement: every protocol's requests, sent to a real `pipebench serve` (built-in small
 * models on wasm, 127.0.0.1), come back as bodies its decoder accepts. Both sides follow
 * src/targets/http/protocols/README.md; this catches one side drifting from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../../src/core/clock.js';
import { startServer, type RunningServer } from '../../../../src/serve/server.js';
import type { Protocol } from '../../../../src/targets/http/protocol.js';
import { betterpromptsProtocol } from '../../../../src/targets/http/protocols/betterprompts.js';
import { kserveV2Protocol } from '../../../../src/targets/http/protocols/kserve-v2.js';
import { openaiProtocol } from '../../../../src/targets/http/protocols/openai.js';
import { type InProcessTarget } from '../../../../src/targets/inprocess/target.js';
import { createInProcessTarget } from '../../../../src/targets/inprocess/create-target.js';
import type { Stage } from '../../../../src/core/stage.js';

let target: InProcessTarget;
let server: RunningServer;
const spec = (name: 'intent-classifier' | 'prompt-generator') =>
  ({ kind: 'builtin', name, size: 'small', cacheDir: '/tmp/pipebench-test-cache' }) as const;
const config = { maxNewTokens: 8 };
const TEXTS = ['write a poem about autumn', 'translate hello into french', 'explain step by step how to plan a trip'];
const MODELS = { classify: 'intent-classifier', generate: 'prompt-generator', pipeline: 'enhance' } as const;

beforeAll(async () => {
  target = await createInProcessTarget({
    backend: 'wasm',
    instances: 1,
    models: { classify: spec('intent-classifier'), generate: spec('prompt-generator') },
  });
  server = await startServer({ target, batching: { maxBatchSize: 16, maxQueueDelayMs: 2, maxNewTokens: 8 }, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await target?.close();
});

/** Sends one request as the HTTP target would and feeds the body to the protocol's decoder as it arrives. */
async function roundTrip(protocol: Protocol, stage: Stage, texts: readonly string[]) {
  const request = protocol.request(stage, texts, config);
  const res = await fetch(server.url + request.path, {
    method: request.method,
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const decoder = protocol.decoder(stage, texts.length);
  if (res.status !== 200) return { status: res.status, decoded: null, body: await res.text() };
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    decoder.onData(Buffer.from(value), epochNowMs());
  }
  return { status: res.status, decoded: decoder.finish(epochNowMs()), body: '' };
}

const betterprompts = betterpromptsProtocol({
  protocol: 'betterprompts',
  classifyApi: 'intents',
  torchserveModel: 'intent_classifier',
  generate: { intent: 'reasoning', complexity: 'moderate', techniques: ['chain_of_thought'], targetModel: 'gpt-4' },
});
const torchserve = betterpromptsProtocol({
  protocol: 'betterprompts',
  classifyApi: 'torchserve',
  torchserveModel: 'intent_classifier',
  generate: { intent: 'reasoning', complexity: 'moderate', techniques: ['chain_of_thought'], targetModel: 'gpt-4' },
});
const kserve = kserveV2Protocol({ protocol: 'kserve-v2', models: MODELS, inputName: 'text', outputName: null });
const openai = (api: 'completions' | 'chat', stream: boolean) => openaiProtocol({ protocol: 'openai', models: MODELS, api, stream });

const cases: readonly (readonly [string, Protocol, Stage, number])[] = [
  ['betterprompts classify x1', betterprompts, 'classify', 1],
  ['betterprompts classify x3', betterprompts, 'classify', 3],
  ['betterprompts torchserve classify', torchserve, 'classify', 1],
  ['betterprompts generate x1', betterprompts, 'generate', 1],
  ['betterprompts generate x2', betterprompts, 'generate', 2],
  ['betterprompts pipeline', betterprompts, 'pipeline', 1],
  ['kserve-v2 classify x3', kserve, 'classify', 3],
  ['kserve-v2 generate x2', kserve, 'generate', 2],
  ['kserve-v2 pipeline x1', kserve, 'pipeline', 1],
  ['openai completions classify x3', openai('completions', false), 'classify', 3],
  ['openai completions generate x2', openai('completions', false), 'generate', 2],
  ['openai chat pipeline', openai('chat', false), 'pipeline', 1],
];

describe('protocols against pipebench serve', () => {
  it.each(cases)('%s decodes ok', async (_name, protocol, stage, count) => {
    const { status, decoded, body } = await roundTrip(protocol, stage, TEXTS.slice(0, count));
    expect({ status, body }).toEqual({ status: 200, body: '' });
    expect(decoded).toMatchObject({ ok: true });
  });

  it('server times come back in ms where the shapes define them', async () => {
    for (const [protocol, stage] of [
      [betterprompts, 'classify'],
      [kserve, 'classify'],
    ] as const) {
      const { decoded } = await roundTrip(protocol, stage, TEXTS.slice(0, 1));
      if (!decoded?.ok) throw new Error(`not ok: ${JSON.stringify(decoded)}`);
      expect(decoded.serverMs).toBeGreaterThan(0);
      expect(decoded.serverMs).toBeLessThan(60_000);
    }
  });

  it('openai streams give TTFT, tokens and (for several tokens) ITL', async () => {
    for (const [protocol, count] of [
      [openai('completions', true), 2],
      [openai('chat', true), 1],
    ] as const) {
      const sentAtMs = epochNowMs();
      const { decoded } = await roundTrip(protocol, 'generate', TEXTS.slice(0, count));
      if (!decoded?.ok) throw new Error(`not ok: ${JSON.stringify(decoded)}`);
      expect(decoded.firstTokenAtMs).toBeGreaterThan(sentAtMs);
      expect(decoded.outputTokens).toBeGreaterThan(0);
      if ((decoded.outputTokens ?? 0) > 1) expect(decoded.itlMs).toBeGreaterThanOrEqual(0);
    }
  });
});
