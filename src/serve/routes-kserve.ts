/**
 * KServe v2 / Triton open inference protocol: BYTES input "text" with shape [n]. Not standard:
 * the answer carries parameters.inference_time_ms (the server's time), which the client reads.
 */
import type { InferOutput } from '../targets/inprocess/infer-output.js';
import type { Stage } from '../core/stage.js';
import { HttpError } from './http-error.js';
import { sendJson } from './http-io.js';
import type { Route } from './route.js';
import { objectBody, textList } from './validate.js';

export const MAX_KSERVE_TEXTS = 1000;

interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: 'BYTES' | 'FP32' | 'INT32';
  readonly data: readonly (string | number)[];
}

interface KServeModel {
  readonly stage: Stage;
  readonly outputs: readonly { readonly name: string; readonly datatype: Tensor['datatype'] }[];
  readonly tensors: (outputs: readonly InferOutput[]) => Tensor[];
}

const n = (outputs: readonly unknown[]) => [outputs.length];
const textOf = (o: InferOutput): string => (o.kind === 'classify' ? o.intent : o.text);

export const KSERVE_MODELS = {
  'intent-classifier': {
    stage: 'classify',
    outputs: [
      { name: 'intent', datatype: 'BYTES' },
      { name: 'confidence', datatype: 'FP32' },
    ],
    tensors: (outs) => [
      { name: 'intent', shape: n(outs), datatype: 'BYTES', data: outs.map(textOf) },
      { name: 'confidence', shape: n(outs), datatype: 'FP32', data: outs.map((o) => (o.kind === 'generate' ? 0 : o.confidence)) },
    ],
  },
  'prompt-generator': {
    stage: 'generate',
    outputs: [{ name: 'enhanced_prompt', datatype: 'BYTES' }],
    tensors: (outs) => [{ name: 'enhanced_prompt', shape: n(outs), datatype: 'BYTES', data: outs.map(textOf) }],
  },
  enhance: {
    stage: 'pipeline',
    outputs: [{ name: 'enhanced_prompt', datatype: 'BYTES' }],
    tensors: (outs) => [{ name: 'enhanced_prompt', shape: n(outs), datatype: 'BYTES', data: outs.map(textOf) }],
  },
} as const satisfies Record<string, KServeModel>;

type KServeModelName = keyof typeof KSERVE_MODELS;

function lookup(name: string | undefined): [KServeModelName, KServeModel] {
  if (name !== undefined && Object.hasOwn(KSERVE_MODELS, name)) return [name as KServeModelName, KSERVE_MODELS[name as KServeModelName]];
  throw new HttpError(404, `model "${name ?? ''}" not found`, `models: ${Object.keys(KSERVE_MODELS).join(', ')}`);
}

/** The texts of the request's first input: BYTES, shape [n], n strings. */
function inputTexts(body: unknown): string[] {
  const inputs = objectBody(body)['inputs'];
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new HttpError(400, 'invalid request', 'field "inputs" must be a non-empty array');
  const input = objectBody(inputs[0]);
  if (input['datatype'] !== 'BYTES') throw new HttpError(400, 'invalid request', 'inputs[0].datatype must be "BYTES"');
  const texts = textList(input['data'], 'inputs[0].data', MAX_KSERVE_TEXTS);
  const shape = input['shape'];
  if (!Array.isArray(shape) || shape[0] !== texts.length) {
    throw new HttpError(400, 'invalid request', `inputs[0].shape must be [${texts.length}] for ${texts.length} texts`);
  }
  return texts;
}

export const kserveRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/v2/health/ready', handle: ({ res }) => sendJson(res, 200, { ready: true }) },
  { method: 'GET', pattern: '/v2/health/live', handle: ({ res }) => sendJson(res, 200, { live: true }) },
  {
    method: 'GET',
    pattern: '/v2/models/:model',
    handle({ res, params, service }) {
      const [name, model] = lookup(params['model']);
      const info = service.model(model.stage === 'classify' ? 'classify' : 'generate');
      sendJson(res, 200, {
        name,
        versions: [info?.version ?? '1'],
        platform: 'pipebench-tfjs',
        inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }],
        outputs: model.outputs.map((o) => ({ ...o, shape: [-1] })),
      });
    },
  },
  {
    method: 'POST',
    pattern: '/v2/models/:model/infer',
    async handle({ res, params, service, body }) {
      const [name, model] = lookup(params['model']);
      const texts = inputTexts(await body());
      const { outputs, serverMs } = await service.run(model.stage, texts);
      const info = service.model(model.stage === 'classify' ? 'classify' : 'generate');
      sendJson(res, 200, {
        model_name: name,
        model_version: info?.version ?? '1',
        outputs: model.tensors(outputs),
        parameters: { inference_time_ms: serverMs },
      });
    },
  },
];
