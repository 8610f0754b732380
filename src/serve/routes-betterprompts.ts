/**
 * BetterPrompts' routes (intent classifier, prompt generator, api-gateway enhance, TorchServe
 * predictions) with their field names and units: classify times in seconds, *_ms in ms.
 */
import { randomUUID } from 'node:crypto';
import type { InferOutput } from '../targets/inprocess/infer-output.js';
import { HttpError } from './http-error.js';
import { sendJson } from './http-io.js';
import type { ModelService } from './model-service.js';
import type { Route } from './route.js';
import { objectBody, optionalPositiveInt, promptText, requiredString, techniqueList, textList, type JsonObject } from './validate.js';

export const MAX_BATCH_TEXTS = 100;
const HEALTH = { status: 'healthy', service: 'pipebench-serve' } as const;

type Classified = Extract<InferOutput, { kind: 'classify' }>;
type Generated = Extract<InferOutput, { kind: 'generate' }>;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

function modelVersion(service: ModelService, task: 'classify' | 'generate'): string {
  const model = service.model(task);
  return model ? `${model.name}-${model.size}-${model.version}` : 'unknown';
}

function classifyBody(service: ModelService, text: string, out: Classified, serverMs: number) {
  return {
    intent: out.intent,
    confidence: out.confidence,
    complexity: out.complexity,
    suggested_techniques: out.techniques,
    metadata: { processing_time: serverMs / 1000, model_version: modelVersion(service, 'classify'), tokens_used: wordCount(text) },
  };
}

interface GenerateRequest {
  readonly text: string;
  readonly intent: string;
  readonly techniques: ReturnType<typeof techniqueList>;
  readonly targetModel: string;
}

function generateRequest(body: JsonObject, where: string): GenerateRequest {
  optionalPositiveInt(body['max_tokens'], `${where}max_tokens`);
  return {
    text: promptText(body['text'], `${where}text`),
    intent: requiredString(body['intent'], `${where}intent`),
    techniques: techniqueList(body['techniques'], `${where}techniques`),
    targetModel: typeof body['target_model'] === 'string' ? body['target_model'] : 'gpt-4',
  };
}

function generateBody(service: ModelService, request: GenerateRequest, out: Generated, generationMs: number) {
  return {
    id: randomUUID(),
    original_text: request.text,
    enhanced_prompt: out.text,
    techniques_applied: out.techniques,
    token_count: out.tokenCount,
    generation_time_ms: generationMs,
    confidence_score: 1,
    model_version: modelVersion(service, 'generate'),
    warnings: [],
    metadata: { target_model: request.targetModel, intent: out.intent },
    created_at: new Date().toISOString(),
  };
}

export const betterPromptsRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/api/v1/health', handle: ({ res }) => sendJson(res, 200, HEALTH) },
  { method: 'GET', pattern: '/health', handle: ({ res }) => sendJson(res, 200, HEALTH) },
  { method: 'GET', pattern: '/ping', handle: ({ res }) => sendJson(res, 200, { status: 'Healthy' }) },
  {
    method: 'POST',
    pattern: '/api/v1/intents/classify',
    async handle({ res, service, body }) {
      const text = promptText(objectBody(await body())['text'], 'text');
      const { outputs, serverMs } = await service.run('classify', [text]);
      sendJson(res, 200, classifyBody(service, text, outputs[0] as Classified, serverMs));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/intents/classify/batch',
    async handle({ res, service, body }) {
      const texts = textList(objectBody(await body())['texts'], 'texts', MAX_BATCH_TEXTS);
      const { outputs, serverMs } = await service.run('classify', texts);
      // One model call for the batch: each result reports the call's time, the total is the same call.
      const results = outputs.map((out, i) => classifyBody(service, texts[i] as string, out, serverMs));
      sendJson(res, 200, { results, total_processing_time: serverMs / 1000 });
    },
  },
  {
    method: 'POST',
    pattern: '/predictions/intent_classifier',
    async handle({ res, service, body }) {
      const text = promptText(objectBody(await body())['text'], 'text');
      const { outputs, serverMs } = await service.run('classify', [text]);
      const out = outputs[0] as Classified;
      const levelScore = { simple: 0.2, moderate: 0.5, complex: 0.8 } as const;
      sendJson(res, 200, {
        intent: out.intent,
        confidence: out.confidence,
        complexity: { score: levelScore[out.complexity], level: out.complexity },
        techniques: out.techniques.map((name) => ({
          name,
          confidence: out.confidence,
          description: name.replace(/_/g, ' '),
          parameters: {},
        })),
        metadata: { model_version: modelVersion(service, 'classify'), processing_time: serverMs / 1000, inference_time_ms: serverMs },
      });
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/generate',
    async handle({ res, service, body }) {
      const request = generateRequest(objectBody(await body()), '');
      const { outputs, serverMs } = await service.run('generate', [request.text], { conditions: [request] });
      sendJson(res, 200, generateBody(service, request, outputs[0] as Generated, serverMs));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/generate/batch',
    async handle({ res, service, body }) {
      const raw = objectBody(await body());
      const prompts = raw['prompts'];
      if (!Array.isArray(prompts) || prompts.length < 1 || prompts.length > MAX_BATCH_TEXTS) {
        throw new HttpError(400, 'invalid request', `field "prompts" must be an array of 1 to ${MAX_BATCH_TEXTS} generate requests`);
      }
      const requests = prompts.map((p, i) => generateRequest(objectBody(p), `prompts[${i}].`));
      const { outputs, serverMs } = await service.run(
        'generate',
        requests.map((r) => r.text),
        { conditions: requests },
      );
      sendJson(res, 200, {
        batch_id: typeof raw['batch_id'] === 'string' ? raw['batch_id'] : randomUUID(),
        total_prompts: requests.length,
        successful: outputs.length,
        failed: 0,
        results: outputs.map((out, i) => generateBody(service, requests[i] as GenerateRequest, out, serverMs)),
        errors: [],
        processing_time_ms: serverMs,
      });
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/enhance',
    async handle({ res, service, body }) {
      const text = promptText(objectBody(await body())['text'], 'text');
      const { outputs, serverMs } = await service.run('pipeline', [text]);
      const out = outputs[0] as Extract<InferOutput, { kind: 'pipeline' }>;
      sendJson(res, 200, {
        id: randomUUID(),
        original_text: text,
        enhanced_text: out.text,
        enhanced_prompt: out.text,
        intent: out.intent,
        complexity: out.complexity,
        techniques: out.techniques,
        techniques_used: out.techniques,
        confidence: out.confidence,
        processing_time_ms: serverMs,
        enhanced: true,
        metadata: { tokens_used: out.tokenCount, model_version: modelVersion(service, 'generate') },
      });
    },
  },
];
