/**
 * The open inference protocol (KServe v2, Triton): one BYTES input tensor of n texts, one output
 * tensor whose first dimension must be n. The protocol defines no server time; `pipebench serve`
 * (and any server that copies it) reports parameters.inference_time_ms, read when present.
 */
import type { Stage } from '../../../core/stage.js';
import type { ProtocolOptions } from '../../../core/workload.js';
import type { Protocol, ProtocolFactory, ProtocolRequest, ResponseDecoder } from '../protocol.js';
import {
  BufferedJsonDecoder,
  jsonPath,
  readArray,
  readOptionalNonNegative,
  readString,
  ShapeMismatch,
  type JsonBodyReader,
  type JsonPath,
} from './json-body.js';

type KserveV2Options = Extract<ProtocolOptions, { protocol: 'kserve-v2' }>;

/** Client-side cap per request (README.md here); servers may set their own lower one. */
const MAX_ITEMS_PER_REQUEST = 1000;

const OUTPUTS = jsonPath('outputs');
const NAME = jsonPath('name');
const SHAPE = jsonPath('shape');
const DATA = jsonPath('data');
const INFERENCE_TIME_MS = jsonPath('parameters.inference_time_ms');

/** Finds the output to check: the named one, or the first when no name is configured. */
function pickOutput(outputs: readonly unknown[], outputName: string | null): { readonly output: unknown; readonly path: JsonPath } {
  if (outputName === null) {
    if (outputs.length === 0) throw new ShapeMismatch(OUTPUTS.text, 'is empty');
    return { output: outputs[0], path: jsonPath(`${OUTPUTS.text}.0`) };
  }
  for (let index = 0; index < outputs.length; index++) {
    const output = outputs[index];
    if (readString(output, NAME) === outputName) return { output, path: jsonPath(`${OUTPUTS.text}.${index}`) };
  }
  throw new ShapeMismatch(OUTPUTS.text, `has no output named ${JSON.stringify(outputName)}`);
}

/** shape[0] == n and data holds exactly prod(shape) values (a flat row-major tensor). */
function checkTensor(output: unknown, items: number): void {
  const shape = readArray(output, SHAPE);
  let elements = 1;
  for (let index = 0; index < shape.length; index++) {
    const dim = shape[index];
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0) {
      throw new ShapeMismatch(`${SHAPE.text}.${index}`, `is not a dimension (got ${JSON.stringify(dim)})`);
    }
    elements *= dim;
  }
  if (shape[0] !== items) {
    throw new ShapeMismatch(SHAPE.text, `is ${JSON.stringify(shape)}: first dimension should be ${items} (one per text)`);
  }
  const data = readArray(output, DATA);
  if (data.length !== elements) {
    throw new ShapeMismatch(DATA.text, `has ${data.length} values for shape ${JSON.stringify(shape)}`);
  }
}

export const kserveV2Protocol: ProtocolFactory<'kserve-v2'> = (options: KserveV2Options): Protocol => {
  const inputStart = `{"inputs":[{"name":${JSON.stringify(options.inputName)},"shape":[`;
  const paths = {
    classify: `/v2/models/${encodeURIComponent(options.models.classify)}/infer`,
    generate: `/v2/models/${encodeURIComponent(options.models.generate)}/infer`,
    pipeline: `/v2/models/${encodeURIComponent(options.models.pipeline)}/infer`,
  } satisfies Record<Stage, string>;

  const read: JsonBodyReader = (body, items) => {
    const { output, path } = pickOutput(readArray(body, OUTPUTS), options.outputName);
    try {
      checkTensor(output, items);
    } catch (error) {
      if (error instanceof ShapeMismatch) throw error.within(path.text);
      throw error;
    }
    return { ok: true, serverMs: readOptionalNonNegative(body, INFERENCE_TIME_MS) };
  };

  return {
    name: 'kserve-v2',
    maxItemsPerRequest(): number {
      return MAX_ITEMS_PER_REQUEST;
    },
    request(stage: Stage, texts: readonly string[]): ProtocolRequest {
      return {
        method: 'POST',
        path: paths[stage],
        body: `${inputStart}${texts.length}],"datatype":"BYTES","data":${JSON.stringify(texts)}}]}`,
      };
    },
    decoder(_stage: Stage, items: number): ResponseDecoder {
      return new BufferedJsonDecoder(read, items);
    },
  };
};
