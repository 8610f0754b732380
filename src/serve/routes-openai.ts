/**
 * OpenAI-style completions and chat completions over the built-in models. Generation streams for
 * real: one SSE event per decode step as the instance posts its tokens. The model always decodes
 * the server's --max-new-tokens; max_tokens caps how many of those tokens are returned.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Stage } from '../core/stage.js';
import { HttpError } from './http-error.js';
import { sendJson } from './http-io.js';
import type { ModelService } from './model-service.js';
import type { Route } from './route.js';
import { SseWriter } from './sse.js';
import { objectBody, optionalBoolean, optionalPositiveInt, promptText, textList, type JsonObject } from './validate.js';

export const MAX_COMPLETION_PROMPTS = 1000;
const DEFAULT_MODEL = 'prompt-generator';
const MODEL_STAGES = { 'intent-classifier': 'classify', 'prompt-generator': 'generate', enhance: 'pipeline' } as const satisfies Record<
  string,
  Stage
>;

type FinishReason = 'stop' | 'length';

interface Flavour {
  readonly object: string;
  readonly chunkObject: string;
  /** The choice body of a whole answer, and of one streamed piece. */
  readonly choice: (index: number, text: string, finish: FinishReason) => object;
  readonly chunk: (index: number, text: string | undefined, finish: FinishReason | null, first: boolean) => object;
}

const COMPLETIONS: Flavour = {
  object: 'text_completion',
  chunkObject: 'text_completion',
  choice: (index, text, finish) => ({ index, text, logprobs: null, finish_reason: finish }),
  chunk: (index, text, finish) => ({ index, text: text ?? '', logprobs: null, finish_reason: finish }),
};

const CHAT: Flavour = {
  object: 'chat.completion',
  chunkObject: 'chat.completion.chunk',
  choice: (index, text, finish) => ({ index, message: { role: 'assistant', content: text }, finish_reason: finish }),
  chunk: (index, text, finish, first) => ({
    index,
    delta: text === undefined ? {} : { ...(first && { role: 'assistant' }), content: text },
    finish_reason: finish,
  }),
};

interface CompletionRequest {
  readonly model: keyof typeof MODEL_STAGES;
  readonly texts: readonly string[];
  readonly maxTokens: number | undefined;
  readonly stream: boolean;
}

function modelOf(body: JsonObject): keyof typeof MODEL_STAGES {
  const model = body['model'] ?? DEFAULT_MODEL;
  if (typeof model === 'string' && Object.hasOwn(MODEL_STAGES, model)) return model as keyof typeof MODEL_STAGES;
  throw new HttpError(404, `model ${JSON.stringify(model)} not found`, `models: ${Object.keys(MODEL_STAGES).join(', ')}`);
}

function completionRequest(raw: unknown): CompletionRequest {
  const body = objectBody(raw);
  const prompt = body['prompt'];
  const texts = Array.isArray(prompt) ? textList(prompt, 'prompt', MAX_COMPLETION_PROMPTS) : [promptText(prompt, 'prompt')];
  return {
    model: modelOf(body),
    texts,
    maxTokens: optionalPositiveInt(body['max_tokens'], 'max_tokens'),
    stream: optionalBoolean(body['stream'], 'stream'),
  };
}

function chatRequest(raw: unknown): CompletionRequest {
  const body = objectBody(raw);
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0)
    throw new HttpError(400, 'invalid request', 'field "messages" must be a non-empty array');
  const lastUser = [...messages].reverse().find((m) => objectBody(m)['role'] === 'user');
  if (lastUser === undefined) throw new HttpError(400, 'invalid request', 'field "messages" needs a message with role "user"');
  const text = promptText(objectBody(lastUser)['content'], 'messages[].content');
  return {
    model: modelOf(body),
    texts: [text],
    maxTokens: optionalPositiveInt(body['max_tokens'], 'max_tokens'),
    stream: optionalBoolean(body['stream'], 'stream'),
  };
}

const wordCount = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;

/** Per choice: the pieces kept (at most the cap) and why it finished. */
class Choices {
  readonly kept: string[][];
  constructor(
    size: number,
    private readonly cap: number,
  ) {
    this.kept = Array.from({ length: size }, () => []);
  }

  /** Keeps the piece if the choice is under its cap; returns whether it was kept. */
  take(index: number, piece: string): boolean {
    const kept = this.kept[index];
    if (!kept || piece === '' || kept.length >= this.cap) return false;
    kept.push(piece);
    return true;
  }

  finish(index: number): FinishReason {
    return (this.kept[index]?.length ?? 0) >= this.cap ? 'length' : 'stop';
  }

  get tokens(): number {
    return this.kept.reduce((n, k) => n + k.length, 0);
  }
}

async function complete(flavour: Flavour, request: CompletionRequest, service: ModelService, sse: SseWriter | undefined): Promise<object> {
  const id = `cmpl-${randomUUID()}`;
  const created = Math.floor(new Date().getTime() / 1000);
  const head = { id, object: flavour.chunkObject, created, model: request.model };
  const stage = MODEL_STAGES[request.model];
  const choices = new Choices(
    request.texts.length,
    Math.min(request.maxTokens ?? Infinity, stage === 'classify' ? 1 : service.maxNewTokens),
  );
  const started = new Set<number>();
  const emit = (index: number, piece: string): void => {
    if (!choices.take(index, piece) || !sse) return;
    sse.send({ ...head, choices: [flavour.chunk(index, piece, null, !started.has(index))] });
    started.add(index);
  };
  const { outputs } = await service.run(stage, request.texts, {
    ...(stage !== 'classify' && { onTokens: (pieces: readonly string[]) => pieces.forEach((piece, i) => emit(i, piece)) }),
  });
  outputs.forEach((out, i) => {
    if (out.kind === 'classify') emit(i, out.intent);
  });
  const promptTokens = request.texts.reduce((n, t) => n + wordCount(t), 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: choices.tokens, total_tokens: promptTokens + choices.tokens };
  if (sse) {
    request.texts.forEach((_, i) => sse.send({ ...head, choices: [flavour.chunk(i, undefined, choices.finish(i), false)] }));
    sse.send({ ...head, choices: [], usage });
    return {};
  }
  return {
    id,
    object: flavour.object,
    created,
    model: request.model,
    choices: request.texts.map((_, i) => flavour.choice(i, choices.kept[i]?.join('').trimStart() ?? '', choices.finish(i))),
    usage,
  };
}

async function answer(flavour: Flavour, request: CompletionRequest, service: ModelService, res: ServerResponse): Promise<void> {
  if (!request.stream) {
    sendJson(res, 200, await complete(flavour, request, service, undefined));
    return;
  }
  const sse = new SseWriter(res);
  try {
    await complete(flavour, request, service, sse);
    sse.done();
  } catch (error) {
    if (!sse.hasStarted) throw error;
    sse.fail(error instanceof Error ? error.message : String(error));
  }
}

export const openAiRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/v1/models',
    handle: ({ res }) =>
      sendJson(res, 200, {
        object: 'list',
        data: Object.keys(MODEL_STAGES).map((id) => ({ id, object: 'model', created: 0, owned_by: 'pipebench' })),
      }),
  },
  {
    method: 'POST',
    pattern: '/v1/completions',
    handle: async ({ res, service, body }) => answer(COMPLETIONS, completionRequest(await body()), service, res),
  },
  {
    method: 'POST',
    pattern: '/v1/chat/completions',
    handle: async ({ res, service, body }) => answer(CHAT, chatRequest(await body()), service, res),
  },
];
