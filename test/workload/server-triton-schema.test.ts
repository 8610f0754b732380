import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import type { Workload } from '../../src/core/workload.js';

const TARGET = 'target: { url: "http://127.0.0.1:8000", protocol: kserve-v2, kserve: { models: { classify: intent } } }\n';

function parse(yaml: string): Workload {
  return parseWorkload(`${TARGET}server:\n${yaml}`, 'workloads/triton.yaml', '/base');
}

function parseError(yaml: string): string {
  try {
    parse(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`expected an InputError for:\n${yaml}`);
}

const TRITON = '  triton: { url: "http://127.0.0.1:8000", model: intent }\n';

describe('server.triton: workload block', () => {
  it('resolves a running Triton (its URL keeps its port), with the defaults: no base config, no unload, search along maxBatchSize', () => {
    const workload = parse(`${TRITON}  params: { maxBatchSize: [8, 32], maxQueueDelayMs: [0, 5], instances: [1, 2] }\n`);
    expect(workload.server).toEqual({
      kind: 'triton',
      url: 'http://127.0.0.1:8000',
      model: 'intent',
      baseConfig: {},
      params: { maxBatchSize: [8, 32], maxQueueDelayMs: [0, 5], instances: [1, 2] },
      readyTimeoutMs: 60_000,
      unloadAtEnd: false,
      searchAxis: 'maxBatchSize',
    });
  });

  it('keeps the base config and the unload choice', () => {
    const workload = parse(
      '  triton: { url: "http://127.0.0.1:8000/", model: intent, config: { backend: onnxruntime }, unload: true }\n  params: { preferredBatchSize: [4, 8] }\n',
    );
    expect(workload.server).toMatchObject({
      url: 'http://127.0.0.1:8000',
      baseConfig: { backend: 'onnxruntime' },
      unloadAtEnd: true,
      searchAxis: null,
    });
  });

  it.each([
    [
      'neither launch nor triton',
      '  params: { maxBatchSize: [1] }\n',
      'server.launch: expected a launch command template or a triton: block',
    ],
    [
      'a parameter Triton has no field for',
      `${TRITON}  params: { maxBatch: [1] }\n`,
      'server.params.maxBatch: expected one of maxBatchSize, maxQueueDelayMs, preferredBatchSize, instances with triton:, got "maxBatch"',
    ],
    [
      'a launch-only key',
      `${TRITON}  stopGrace: 1s\n  params: { maxBatchSize: [1] }\n`,
      'server.stopGrace: expected no stopGrace with triton:',
    ],
    [
      'no model',
      '  triton: { url: "http://127.0.0.1:8000" }\n  params: { maxBatchSize: [1] }\n',
      'server.triton.model: expected a model name',
    ],
    [
      'a URL that is not http',
      '  triton: { url: "localhost:8000", model: m }\n  params: { maxBatchSize: [1] }\n',
      "server.triton.url: expected the running Triton's HTTP URL",
    ],
    [
      'an unknown key',
      '  triton: { url: "http://127.0.0.1:8000", model: m, modle: x }\n  params: { maxBatchSize: [1] }\n',
      'server.triton.modle: unknown key "modle"',
    ],
    [
      'max_batch_size both in the base config and swept',
      '  triton: { url: "http://127.0.0.1:8000", model: m, config: { max_batch_size: 8 } }\n  params: { maxBatchSize: [1] }\n',
      'server.triton.config.max_batch_size: expected no max_batch_size in triton.config while params.maxBatchSize sweeps it',
    ],
  ])('refuses %s, naming the field', (_what, lines, message) => {
    expect(parseError(lines)).toContain(message);
  });
});
