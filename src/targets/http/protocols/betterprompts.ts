/**
 * The BetterPrompts services (../shared/reference/betterprompts-api.md; shapes in ./README.md):
 * classify through the intent classifier (single or batch route) or TorchServe, generate through
 * the prompt generator (single or batch route), pipeline through the gateway's /api/v1/enhance.
 */
import type { Stage } from '../../../core/stage.js';
import type { ProtocolOptions } from '../../../core/workload.js';
import type { Protocol, ProtocolConfig, ProtocolFactory, ProtocolRequest, ResponseDecoder } from '../protocol.js';
import {
  BufferedJsonDecoder,
  checkEach,
  jsonPath,
  readArrayOfLength,
  readNonNegative,
  readNumber,
  readString,
  ShapeMismatch,
  type JsonBodyReader,
} from './json-body.js';

type BetterpromptsOptions = Extract<ProtocolOptions, { protocol: 'betterprompts' }>;

/** The services' own limits: the classifier and generator batch routes take 1..100 texts. */
const BATCH_ROUTE_MAX_ITEMS = 100;

const INTENT = jsonPath('intent');
const RESULTS = jsonPath('results');
const PROCESSING_TIME_S = jsonPath('metadata.processing_time');
const TOTAL_PROCESSING_TIME_S = jsonPath('total_processing_time');
const INFERENCE_TIME_MS = jsonPath('metadata.inference_time_ms');
const ENHANCED_PROMPT = jsonPath('enhanced_prompt');
const GENERATION_TIME_MS = jsonPath('generation_time_ms');
const TOKEN_COUNT = jsonPath('token_count');
const FAILED = jsonPath('failed');
const PROCESSING_TIME_MS = jsonPath('processing_time_ms');

const MS_PER_S = 1000;

function checkClassification(result: unknown): void {
  readString(result, INTENT);
}

/** Checks one generation result; returns the length of its enhanced prompt in characters. */
function checkGeneration(result: unknown): number {
  const chars = readString(result, ENHANCED_PROMPT).length;
  readNonNegative(result, TOKEN_COUNT);
  return chars;
}

const readClassifySingle: JsonBodyReader = (body) => {
  checkClassification(body);
  return { ok: true, serverMs: readNonNegative(body, PROCESSING_TIME_S) * MS_PER_S };
};

const readClassifyBatch: JsonBodyReader = (body, items) => {
  checkEach(readArrayOfLength(body, RESULTS, items), RESULTS, checkClassification);
  return { ok: true, serverMs: readNonNegative(body, TOTAL_PROCESSING_TIME_S) * MS_PER_S };
};

const readTorchserve: JsonBodyReader = (body) => {
  checkClassification(body);
  return { ok: true, serverMs: readNonNegative(body, INFERENCE_TIME_MS) };
};

const readGenerateSingle: JsonBodyReader = (body) => {
  const outputChars = checkGeneration(body);
  return { ok: true, serverMs: readNonNegative(body, GENERATION_TIME_MS), outputTokens: readNonNegative(body, TOKEN_COUNT), outputChars };
};

const readGenerateBatch: JsonBodyReader = (body, items) => {
  const failed = readNumber(body, FAILED);
  if (failed !== 0) throw new ShapeMismatch(FAILED.text, `is ${failed} (the batch had failures)`);
  const results = readArrayOfLength(body, RESULTS, items);
  let chars = 0;
  checkEach(results, RESULTS, (result) => {
    chars += checkGeneration(result);
  });
  let tokens = 0;
  for (const result of results) tokens += readNumber(result, TOKEN_COUNT);
  return { ok: true, serverMs: readNonNegative(body, PROCESSING_TIME_MS), outputTokens: tokens / items, outputChars: chars / items };
};

const readEnhance: JsonBodyReader = (body) => {
  const outputChars = readString(body, ENHANCED_PROMPT).length;
  return { ok: true, serverMs: readNonNegative(body, PROCESSING_TIME_MS), outputChars };
};

/** `{"text":"..."}`: the single-text body of the classifier, TorchServe and the gateway. */
function textBody(text: string): string {
  return `{"text":${JSON.stringify(text)}}`;
}

const POST = 'POST';

export const betterpromptsProtocol: ProtocolFactory<'betterprompts'> = (options: BetterpromptsOptions): Protocol => {
  const torchserve = options.classifyApi === 'torchserve';
  const torchservePath = `/predictions/${encodeURIComponent(options.torchserveModel)}`;
  // Everything of a generate request after its text, but for max_tokens, serialised once.
  const generateMiddle =
    `,"intent":${JSON.stringify(options.generate.intent)}` +
    `,"complexity":${JSON.stringify(options.generate.complexity)}` +
    `,"techniques":${JSON.stringify(options.generate.techniques)}` +
    `,"target_model":${JSON.stringify(options.generate.targetModel)}`;

  /**
   * max_tokens only when the user set a length: the prompt generator cuts the enhanced prompt to
   * about 4 x max_tokens characters, so a default sent here would measure a shortened answer.
   */
  function generateRequestBody(text: string, config: ProtocolConfig): string {
    const maxTokens = config.maxNewTokens === null ? '' : `,"max_tokens":${config.maxNewTokens}`;
    return `{"text":${JSON.stringify(text)}${generateMiddle}${maxTokens}}`;
  }

  const maxItems = {
    classify: torchserve ? 1 : BATCH_ROUTE_MAX_ITEMS,
    generate: BATCH_ROUTE_MAX_ITEMS,
    pipeline: 1,
  } satisfies Record<Stage, number>;

  /** Readers for one text and for a batch; the decoder picks by the count, as request() does. */
  const readers = {
    classify: torchserve ? { single: readTorchserve, batch: readTorchserve } : { single: readClassifySingle, batch: readClassifyBatch },
    generate: { single: readGenerateSingle, batch: readGenerateBatch },
    pipeline: { single: readEnhance, batch: readEnhance },
  } satisfies Record<Stage, { single: JsonBodyReader; batch: JsonBodyReader }>;

  return {
    name: 'betterprompts',
    maxItemsPerRequest(stage: Stage): number {
      return maxItems[stage];
    },
    request(stage: Stage, texts: readonly string[], config: ProtocolConfig): ProtocolRequest {
      const first = texts[0] ?? '';
      switch (stage) {
        case 'classify':
          if (torchserve) return { method: POST, path: torchservePath, body: textBody(first) };
          if (texts.length === 1) return { method: POST, path: '/api/v1/intents/classify', body: textBody(first) };
          return { method: POST, path: '/api/v1/intents/classify/batch', body: `{"texts":${JSON.stringify(texts)}}` };
        case 'generate': {
          if (texts.length === 1) return { method: POST, path: '/api/v1/generate', body: generateRequestBody(first, config) };
          let prompts = '';
          for (const text of texts) prompts += (prompts === '' ? '' : ',') + generateRequestBody(text, config);
          return { method: POST, path: '/api/v1/generate/batch', body: `{"prompts":[${prompts}]}` };
        }
        case 'pipeline':
          return { method: POST, path: '/api/v1/enhance', body: textBody(first) };
      }
    },
    decoder(stage: Stage, items: number): ResponseDecoder {
      const pair = readers[stage];
      return new BufferedJsonDecoder(items === 1 ? pair.single : pair.batch, items);
    },
  };
};
