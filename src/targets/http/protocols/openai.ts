/**
 * OpenAI-compatible servers (vLLM, TGI, llama.cpp, `pipebench serve`): /v1/completions takes up to
 * 1000 prompts per request, /v1/chat/completions one. With `stream: true` the answer is SSE and the
 * decoder stamps tokens as chunks arrive; otherwise it is one JSON body.
 */
import type { Stage } from '../../../core/stage.js';
import type { ProtocolOptions } from '../../../core/workload.js';
import type {
  Decoded,
  DecodedError,
  DecodedOk,
  Protocol,
  ProtocolConfig,
  ProtocolFactory,
  ProtocolRequest,
  ResponseDecoder,
} from '../protocol.js';
import {
  BufferedJsonDecoder,
  checkEach,
  jsonPath,
  oneLine,
  parseJsonText,
  protocolMismatch,
  readArray,
  readArrayOfLength,
  readNonNegative,
  readNumber,
  readString,
  ShapeMismatch,
  valueAt,
  type JsonBodyReader,
  type JsonPath,
} from './json-body.js';
import { SseSplitter } from './sse.js';

type OpenaiOptions = Extract<ProtocolOptions, { protocol: 'openai' }>;
type OpenaiApi = OpenaiOptions['api'];

const COMPLETIONS_MAX_ITEMS = 1000;

const CHOICES = jsonPath('choices');
const TEXT = jsonPath('text');
const MESSAGE_CONTENT = jsonPath('message.content');
const DELTA_CONTENT = jsonPath('delta.content');

/** Mean characters of text per choice; each choice must carry its text at `path`. */
function textCharsPerItem(choices: readonly unknown[], path: JsonPath): number {
  let chars = 0;
  checkEach(choices, CHOICES, (choice) => {
    chars += readString(choice, path).length;
  });
  return choices.length === 0 ? 0 : chars / choices.length;
}

/** outputTokens per item from usage.completion_tokens, when the server sent usage. */
function perItemTokens(body: unknown, items: number): number | undefined {
  const tokens = readUsageTokens(body);
  return tokens === null ? undefined : tokens / items;
}

function choicesReader(textPath: JsonPath): JsonBodyReader {
  return (body, items) => {
    const outputChars = textCharsPerItem(readArrayOfLength(body, CHOICES, items), textPath);
    return { ok: true, serverMs: null, outputTokens: perItemTokens(body, items), outputChars };
  };
}

const apis = {
  completions: { path: '/v1/completions', maxItems: COMPLETIONS_MAX_ITEMS, read: choicesReader(TEXT), streamedText: TEXT },
  chat: { path: '/v1/chat/completions', maxItems: 1, read: choicesReader(MESSAGE_CONTENT), streamedText: DELTA_CONTENT },
} satisfies Record<OpenaiApi, unknown>;

const STREAM_HEADERS: Readonly<Record<string, string>> = { accept: 'text/event-stream' };

export const openaiProtocol: ProtocolFactory<'openai'> = (options: OpenaiOptions): Protocol => {
  const api = apis[options.api];
  const chat = options.api === 'chat';
  // Each stage's body up to the text, and the end after it, serialised once.
  const openers = {
    classify: opener(options.models.classify, chat),
    generate: opener(options.models.generate, chat),
    pipeline: opener(options.models.pipeline, chat),
  } satisfies Record<Stage, string>;
  const afterText = chat ? '}]' : '';
  const closer = `,"stream":${options.stream}}`;
  const headers = options.stream ? STREAM_HEADERS : undefined;

  return {
    name: 'openai',
    maxItemsPerRequest(): number {
      return api.maxItems;
    },
    request(stage: Stage, texts: readonly string[], config: ProtocolConfig): ProtocolRequest {
      const prompt = texts.length === 1 ? JSON.stringify(texts[0]) : JSON.stringify(texts);
      // max_tokens only when the user set a length: otherwise the server's own default applies.
      const maxTokens = config.maxNewTokens === null ? '' : `,"max_tokens":${config.maxNewTokens}`;
      const body = `${openers[stage]}${prompt}${afterText}${maxTokens}${closer}`;
      return headers === undefined ? { method: 'POST', path: api.path, body } : { method: 'POST', path: api.path, body, headers };
    },
    decoder(_stage: Stage, items: number): ResponseDecoder {
      return options.stream ? new OpenaiStreamDecoder(items, api.streamedText) : new BufferedJsonDecoder(api.read, items);
    },
  };
};

function opener(model: string, chat: boolean): string {
  const modelField = `{"model":${JSON.stringify(model)}`;
  return chat ? `${modelField},"messages":[{"role":"user","content":` : `${modelField},"prompt":`;
}

const USAGE = jsonPath('usage');
const COMPLETION_TOKENS = jsonPath('usage.completion_tokens');
const INDEX = jsonPath('index');
const FINISH_REASON = jsonPath('finish_reason');
const ERROR = jsonPath('error');
const ERROR_MESSAGE = jsonPath('error.message');
const DONE = '[DONE]';
export const MISSING_FINISH_REASON = `openai streams ended with ${DONE} after their text but without a finish_reason; counted as complete answers`;

/** usage.completion_tokens for the whole request, or null when the body carries no usage. */
function readUsageTokens(body: unknown): number | null {
  const usage = valueAt(body, USAGE);
  return usage === undefined || usage === null ? null : readNonNegative(body, COMPLETION_TOKENS);
}

/**
 * Reads an SSE completion stream as it arrives. TTFT is the stamp of the first chunk carrying
 * non-empty text; ITL pools the gaps between successive content events of each choice (tokens
 * in one chunk share its stamp, so their gaps are 0). outputTokens counts content events per
 * choice unless the server sent usage; outputChars the characters of text they carried.
 */
class OpenaiStreamDecoder implements ResponseDecoder {
  private readonly items: number;
  private readonly textPath: JsonPath;
  private readonly splitter = new SseSplitter((data) => this.onEvent(data));
  private atMs = 0;
  private events = 0;
  private done = false;
  private failure: DecodedError | null = null;
  private firstTokenAtMs = -1;
  private contentEvents = 0;
  private gapSumMs = 0;
  private gapCount = 0;
  private usageTokens: number | null = null;
  private textChars = 0;
  /** Per choice index: stamp of its last content event (-1 = none yet), and whether it finished. */
  private readonly lastTokenAtMs: Float64Array;
  private readonly finished: Uint8Array;

  constructor(items: number, textPath: JsonPath) {
    this.items = items;
    this.textPath = textPath;
    this.lastTokenAtMs = new Float64Array(items).fill(-1);
    this.finished = new Uint8Array(items);
  }

  onData(chunk: Buffer, atMs: number): void {
    if (this.failure !== null || this.done) return;
    this.atMs = atMs;
    this.splitter.push(chunk);
  }

  finish(): Decoded {
    const open = this.splitter.end();
    if (this.failure !== null) return this.failure;
    // A [DONE] whose closing blank line never came still says the server finished.
    if (!this.done && open?.trim() !== DONE) {
      const cut = open === null ? '' : ' (last event cut off)';
      return { ok: false, errorClass: 'stream_truncated', detail: `stream ended without ${DONE} after ${this.events} events${cut}` };
    }
    // After [DONE], a choice that sent text is complete even without a finish_reason (several
    // OpenAI-compatible servers never send one); a choice that sent neither is not an answer.
    let unfinished = 0;
    for (let index = 0; index < this.items; index++) {
      if (this.finished[index] === 1) continue;
      if ((this.lastTokenAtMs[index] ?? -1) < 0)
        return protocolMismatch(`choice ${index} of ${this.items} sent neither text nor a finish_reason`);
      unfinished++;
    }
    const tokens = this.usageTokens ?? this.contentEvents;
    const decoded: DecodedOk = {
      ok: true,
      serverMs: null,
      firstTokenAtMs: this.firstTokenAtMs < 0 ? undefined : this.firstTokenAtMs,
      itlMs: this.gapCount === 0 ? undefined : this.gapSumMs / this.gapCount,
      outputTokens: tokens / this.items,
      outputChars: this.textChars / this.items,
    };
    return unfinished === 0 ? decoded : { ...decoded, notice: MISSING_FINISH_REASON };
  }

  private onEvent(data: string): void {
    if (this.failure !== null || this.done) return;
    this.events++;
    if (data === DONE) {
      this.done = true;
      return;
    }
    const parsed = parseJsonText(data);
    if (!parsed.ok) {
      this.failure = { ...parsed, detail: `event ${this.events}: ${parsed.detail}` };
      return;
    }
    try {
      this.readEvent(parsed.value);
    } catch (error) {
      if (!(error instanceof ShapeMismatch)) throw error;
      this.failure = protocolMismatch(oneLine(`event ${this.events}: ${error.message}`));
    }
  }

  private readEvent(event: unknown): void {
    const error = valueAt(event, ERROR);
    if (error !== undefined && error !== null) {
      // The server gave up after the status line went out: the stream ends short of its answer.
      const message = valueAt(event, ERROR_MESSAGE) ?? error;
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      // The server's text whole: the target redacts it before it shortens it.
      this.failure = { ok: false, errorClass: 'stream_truncated', detail: `event ${this.events}: server error mid-stream: ${text}` };
      return;
    }
    const usageTokens = readUsageTokens(event);
    if (usageTokens !== null) this.usageTokens = usageTokens;
    // The usage event of include_usage streams has no choices (or an empty list).
    if (usageTokens !== null && valueAt(event, CHOICES) === undefined) return;
    const choices = readArray(event, CHOICES);
    for (let position = 0; position < choices.length; position++) {
      const choice = choices[position];
      const index = readNumber(choice, INDEX);
      if (!Number.isInteger(index) || index < 0 || index >= this.items) {
        throw new ShapeMismatch(
          `${CHOICES.text}.${position}.index`,
          `is ${index} for ${this.items} ${this.items === 1 ? 'text' : 'texts'}`,
        );
      }
      const text = valueAt(choice, this.textPath);
      if (typeof text === 'string') {
        if (text !== '') this.onContent(index, text.length);
      } else if (text !== undefined && text !== null) {
        throw new ShapeMismatch(`${CHOICES.text}.${position}.${this.textPath.text}`, `is not a string (got ${typeof text})`);
      }
      const finishReason = valueAt(choice, FINISH_REASON);
      if (typeof finishReason === 'string') this.finished[index] = 1;
      else if (finishReason !== undefined && finishReason !== null) {
        throw new ShapeMismatch(`${CHOICES.text}.${position}.finish_reason`, `is not a string (got ${typeof finishReason})`);
      }
    }
  }

  private onContent(index: number, chars: number): void {
    const atMs = this.atMs;
    this.textChars += chars;
    if (this.firstTokenAtMs < 0) this.firstTokenAtMs = atMs;
    const lastMs = this.lastTokenAtMs[index] ?? -1;
    if (lastMs >= 0) {
      this.gapSumMs += atMs - lastMs;
      this.gapCount++;
    }
    this.lastTokenAtMs[index] = atMs;
    this.contentEvents++;
  }
}
