import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import type { Workload } from '../../src/core/workload.js';
import { renderLaunchCommand, serverConfigurations } from '../../src/core/server-config.js';

function parse(yaml: string): Workload {
  return parseWorkload(yaml, 'workloads/tune.yaml', '/base');
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

const TARGET = 'target: { url: http://127.0.0.1, protocol: kserve-v2 }\n';
const LAUNCH = 'pipebench serve --port {port} --max-batch-size {maxBatchSize} --max-queue-delay {maxQueueDelayMs}ms';

function server(lines: string): string {
  return `${TARGET}server:\n${lines}`;
}

describe('server: workload block', () => {
  it('resolves with its defaults: /health, 60 s to get ready, 5 s grace, search along maxBatchSize', () => {
    const workload = parse(server(`  launch: "${LAUNCH}"\n  params: { maxBatchSize: [1, 8, 32], maxQueueDelayMs: [0, 5] }\n`));
    expect(workload.server).toEqual({
      kind: 'launch',
      command: LAUNCH,
      healthPath: '/health',
      params: { maxBatchSize: [1, 8, 32], maxQueueDelayMs: [0, 5] },
      readyTimeoutMs: 60_000,
      stopGraceMs: 5_000,
      passEnv: [],
      searchAxis: 'maxBatchSize',
    });
    expect(serverConfigurations(workload.server!.params)).toHaveLength(6);
    expect(renderLaunchCommand(LAUNCH, 4321, { maxBatchSize: 8, maxQueueDelayMs: 5 })).toBe(
      'pipebench serve --port 4321 --max-batch-size 8 --max-queue-delay 5ms',
    );
  });

  it('search: false runs the grid; health, readyTimeout, stopGrace and passEnv are read', () => {
    const workload = parse(
      server(
        `  launch: "${LAUNCH}"\n  health: /v2/health/ready\n  readyTimeout: 2s\n  stopGrace: 500ms\n  passEnv: [CUDA_VISIBLE_DEVICES]\n  search: false\n  params: { maxBatchSize: [1], maxQueueDelayMs: [0] }\n`,
      ),
    );
    expect(workload.server).toMatchObject({
      healthPath: '/v2/health/ready',
      readyTimeoutMs: 2000,
      stopGraceMs: 500,
      passEnv: ['CUDA_VISIBLE_DEVICES'],
      searchAxis: null,
    });
  });

  it.each([
    [
      'a launch without {port}',
      `  launch: "serve --max-batch {maxBatchSize}"\n  params: { maxBatchSize: [1] }\n`,
      'workloads/tune.yaml: server.launch: expected a command template with {port} in it',
    ],
    [
      'a placeholder no parameter fills',
      `  launch: "serve --port {port} --max-batch {maxBatch}"\n  params: { maxBatchSize: [1] }\n`,
      'server.launch: expected every {placeholder} to be {port} or a parameter in server.params, got {maxBatch}',
    ],
    [
      'a parameter the command never receives',
      `  launch: "serve --port {port}"\n  params: { maxBatchSize: [1] }\n`,
      'server.params.maxBatchSize: expected {maxBatchSize} in server.launch',
    ],
    [
      'an empty value list',
      `  launch: "serve --port {port} {maxBatchSize}"\n  params: { maxBatchSize: [] }\n`,
      'server.params.maxBatchSize: expected at least one value',
    ],
    [
      'a repeated value',
      `  launch: "serve --port {port} {maxBatchSize}"\n  params: { maxBatchSize: [1, 1] }\n`,
      'server.params.maxBatchSize[1]: expected unique values, got 1 again',
    ],
    [
      'a negative value',
      `  launch: "serve --port {port} {maxBatchSize}"\n  params: { maxBatchSize: [-1] }\n`,
      'server.params.maxBatchSize[0]: expected a number >= 0, got -1',
    ],
    [
      'a health route that is not a path',
      `  launch: "serve --port {port} {m}"\n  health: health\n  params: { m: [1] }\n`,
      'server.health: expected a path starting with "/"',
    ],
    [
      'a search axis that is not a parameter',
      `  launch: "serve --port {port} {m}"\n  search: batch\n  params: { m: [1] }\n`,
      'server.search: expected a parameter in server.params or false, got "batch"',
    ],
    [
      'an unknown key',
      `  launch: "serve --port {port} {m}"\n  parms: { m: [1] }\n  params: { m: [1] }\n`,
      'server.parms: unknown key "parms"',
    ],
  ])('refuses %s, naming the field', (_what, lines, message) => {
    expect(parseError(server(lines))).toContain(message);
  });

  it('needs an HTTP target whose URL names no port (the launched port is used)', () => {
    const block = `server:\n  launch: "serve --port {port} {m}"\n  params: { m: [1] }\n`;
    expect(parseError(block)).toContain('workloads/tune.yaml: server: expected a target');
    expect(parseError(`target: { url: http://127.0.0.1:8301 }\n${block}`)).toContain(
      "target.url: expected a URL without a port with server: (the launched server's free port is used), got http://127.0.0.1:8301",
    );
    expect(parseError(`${TARGET}search: true\n${block}`)).toContain('search: expected no search: true with server:');
  });
});

const TRITON_TARGET = 'target: { url: "http://127.0.0.1:8000", protocol: kserve-v2, kserve: { models: { classify: intent } } }\n';

function tritonParse(lines: string): Workload {
  return parse(`${TRITON_TARGET}server:\n${lines}`);
}

const TRITON = '  triton: { url: "http://127.0.0.1:8000", model: intent }\n';

describe('server.triton: workload block', () => {
  it('resolves a running Triton (its URL keeps its port), with the defaults: no base config, no unload, search along maxBatchSize', () => {
    const workload = tritonParse(`${TRITON}  params: { maxBatchSize: [8, 32], maxQueueDelayMs: [0, 5], instances: [1, 2] }\n`);
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
    const workload = tritonParse(
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
    expect(parseError(`${TRITON_TARGET}server:\n${lines}`)).toContain(message);
  });
});
