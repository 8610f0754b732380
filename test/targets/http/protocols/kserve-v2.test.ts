import { describe, expect, it } from 'vitest';
import { kserveV2Protocol } from '../../../../src/targets/http/protocols/kserve-v2.js';
import { STAGES } from '../../../../src/core/stage.js';
import type { ProtocolOptions } from '../../../../src/core/workload.js';
import { decodePieces, decodeWhole, piecesOf } from './chunks.js';

type Options = Extract<ProtocolOptions, { protocol: 'kserve-v2' }>;

const options: Options = {
  protocol: 'kserve-v2',
  models: { classify: 'intent-classifier', generate: 'prompt-generator', pipeline: 'enhance' },
  inputName: 'text',
  outputName: null,
};
const firstOutput = kserveV2Protocol(options);
const namedOutput = kserveV2Protocol({
  ...options,
  outputName: 'confidence',
  models: { ...options.models, classify: 'intent/classifier v2' },
});
const config = { maxNewTokens: 32 };

/** A Triton-style classify answer for n texts: intent (BYTES [n]) then confidence (FP32 [n, 1]). */
function classifyAnswer(n: number, extra: object = {}) {
  return {
    model_name: 'intent-classifier',
    model_version: '1',
    outputs: [
      { name: 'intent', shape: [n], datatype: 'BYTES', data: Array.from({ length: n }, () => 'reasoning') },
      { name: 'confidence', shape: [n, 1], datatype: 'FP32', data: Array.from({ length: n }, () => 0.9) },
    ],
    ...extra,
  };
}

describe('kserve-v2 requests', () => {
  it('posts one BYTES tensor of all texts to the stage model', () => {
    const request = firstOutput.request('generate', ['a', 'b "c"', 'ü'], config);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v2/models/prompt-generator/infer');
    expect(JSON.parse(request.body)).toEqual({ inputs: [{ name: 'text', shape: [3], datatype: 'BYTES', data: ['a', 'b "c"', 'ü'] }] });
    expect(namedOutput.request('classify', ['x'], config).path).toBe('/v2/models/intent%2Fclassifier%20v2/infer');
    expect(firstOutput.request('pipeline', ['x'], config).path).toBe('/v2/models/enhance/infer');
  });

  it('takes up to 1000 texts per request on every stage', () => {
    expect(STAGES.map((stage) => firstOutput.maxItemsPerRequest(stage))).toEqual([1000, 1000, 1000]);
  });
});

describe('kserve-v2 decoder', () => {
  it('checks the first (or the named) output and reads parameters.inference_time_ms when present', () => {
    expect(decodeWhole(firstOutput.decoder('classify', 4), classifyAnswer(4))).toEqual({ ok: true, serverMs: null });
    const timed = Buffer.from(JSON.stringify(classifyAnswer(2, { parameters: { inference_time_ms: 3.75 } })));
    expect(decodePieces(namedOutput.decoder('classify', 2), piecesOf(timed, 1))).toEqual({ ok: true, serverMs: 3.75 });
  });

  it('a first dimension other than the texts sent is protocol_mismatch naming the output', () => {
    expect(decodeWhole(firstOutput.decoder('classify', 5), classifyAnswer(4))).toEqual({
      ok: false,
      errorClass: 'protocol_mismatch',
      detail: 'outputs.0.shape is [4]: first dimension should be 5 (one per text)',
    });
    expect(decodeWhole(namedOutput.decoder('classify', 5), classifyAnswer(4))).toMatchObject({
      detail: 'outputs.1.shape is [4,1]: first dimension should be 5 (one per text)',
    });
  });

  it('data must hold prod(shape) values; dimensions must be whole numbers', () => {
    const answer = classifyAnswer(3);
    const short = { ...answer, outputs: [{ ...answer.outputs[0], data: ['a', 'b'] }] };
    expect(decodeWhole(firstOutput.decoder('classify', 3), short)).toMatchObject({
      errorClass: 'protocol_mismatch',
      detail: 'outputs.0.data has 2 values for shape [3]',
    });
    const badDim = { ...answer, outputs: [{ ...answer.outputs[0], shape: [3, '1'] }] };
    expect(decodeWhole(firstOutput.decoder('classify', 3), badDim)).toMatchObject({
      detail: 'outputs.0.shape.1 is not a dimension (got "1")',
    });
  });

  it('missing outputs, an absent named output, or a wrong server time type are protocol_mismatch', () => {
    expect(decodeWhole(firstOutput.decoder('classify', 1), { model_name: 'm', outputs: [] })).toMatchObject({ detail: 'outputs is empty' });
    expect(decodeWhole(firstOutput.decoder('classify', 1), { error: 'model not ready' })).toMatchObject({ detail: 'outputs is missing' });
    const onlyIntent = { ...classifyAnswer(1), outputs: [classifyAnswer(1).outputs[0]] };
    expect(decodeWhole(namedOutput.decoder('classify', 1), onlyIntent)).toMatchObject({
      detail: 'outputs has no output named "confidence"',
    });
    expect(decodeWhole(firstOutput.decoder('classify', 1), classifyAnswer(1, { parameters: { inference_time_ms: 'fast' } }))).toMatchObject(
      {
        detail: 'parameters.inference_time_ms is not a number (got string)',
      },
    );
  });

  it('invalid JSON is malformed_body', () => {
    expect(decodeWhole(firstOutput.decoder('classify', 1), '{"outputs": [')).toMatchObject({ ok: false, errorClass: 'malformed_body' });
  });
});
