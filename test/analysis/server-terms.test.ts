import { describe, expect, it } from 'vitest';
import { serverTerms, torchserveModel } from '../../src/analysis/server-terms.js';
import { serverSweepLines, serverSweepSection } from '../../src/report/markdown/server-sweep.js';
import type { LaunchServerSpec, TritonServerSpec } from '../../src/core/server-config.js';
import type { ServerSweepReport } from '../../src/core/report/server-sweep.js';
import type { RunReport } from '../../src/core/report/run.js';

const TRITON: TritonServerSpec = {
  kind: 'triton',
  url: 'http://127.0.0.1:8000',
  model: 'intent',
  baseConfig: {},
  params: {},
  readyTimeoutMs: 1000,
  unloadAtEnd: false,
  searchAxis: 'maxBatchSize',
};

function launch(command: string): LaunchServerSpec {
  return {
    kind: 'launch',
    command,
    healthPath: '/health',
    params: {},
    readyTimeoutMs: 1000,
    stopGraceMs: 100,
    passEnv: [],
    searchAxis: null,
  };
}

describe("serverTerms: the winner in the server's own terms", () => {
  it('Triton: a config.pbtxt fragment with max_batch_size, dynamic_batching and instance_group', () => {
    const terms = serverTerms(TRITON, { maxBatchSize: 32, maxQueueDelayMs: 5, preferredBatchSize: 16, instances: 2 });
    expect(terms.kind).toBe('config.pbtxt');
    expect(terms.text).toBe(
      [
        'max_batch_size: 32',
        'dynamic_batching {',
        '  max_queue_delay_microseconds: 5000',
        '  preferred_batch_size: [ 16 ]',
        '}',
        'instance_group [',
        '  {',
        '    count: 2',
        '    kind: KIND_GPU',
        '  }',
        ']',
      ].join('\n'),
    );
  });

  it("Triton: the base config's instance kind and queue delay stand where they are not swept", () => {
    const spec = {
      ...TRITON,
      baseConfig: { backend: 'python', instance_group: [{ kind: 'KIND_CPU' }], dynamic_batching: { max_queue_delay_microseconds: 100 } },
    };
    expect(serverTerms(spec, { maxBatchSize: 8, instances: 4 }).text).toBe(
      [
        'max_batch_size: 8',
        'dynamic_batching {',
        '  max_queue_delay_microseconds: 100',
        '}',
        'instance_group [',
        '  {',
        '    count: 4',
        '    kind: KIND_CPU',
        '  }',
        ']',
      ].join('\n'),
    );
  });

  it("TorchServe launch: config.properties' models= line with batchSize, maxBatchDelay, minWorkers and maxWorkers", () => {
    const spec = launch(
      'torchserve --start --foreground --model-store /models --models bert=bert-intent.mar --ts-config ts-{port}.properties',
    );
    const terms = serverTerms(spec, { maxBatchSize: 32, maxQueueDelayMs: 5, instances: 2 });
    expect(terms.kind).toBe('config.properties');
    expect(terms.text).toBe(
      'models={"bert":{"1.0":{"defaultVersion":true,"marName":"bert-intent.mar","minWorkers":2,"maxWorkers":2,"batchSize":32,"maxBatchDelay":5}}}',
    );
  });

  it('TorchServe is known by the program word, after environment assignments and through a path', () => {
    expect(torchserveModel('TS_X=1 /opt/bin/torchserve --models /m/resnet.mar')).toEqual({ name: 'resnet', marName: 'resnet.mar' });
    expect(torchserveModel('torchserve --start')).toEqual({ name: '<model>', marName: '<model>.mar' });
    expect(torchserveModel('python3 serve.py --torchserve-like')).toBeNull();
  });

  it('any other launch: the command line with its values, {port} kept', () => {
    expect(serverTerms(launch('serve --port {port} --max-batch {maxBatchSize}'), { maxBatchSize: 8 })).toEqual({
      kind: 'command',
      text: 'serve --port {port} --max-batch 8',
    });
  });
});

describe('the chosen configuration in the summary and report.md', () => {
  const sweep = (serverTermsKind: 'command' | 'config.pbtxt', text: string): ServerSweepReport => ({
    strategy: 'search',
    searchAxis: 'maxBatchSize',
    gridConfigurations: 4,
    gridSteps: 4,
    configurations: [],
    runsSpent: 3,
    stepsRun: 3,
    scores: [],
    pareto: [],
    chosen: {
      params: { maxBatchSize: 32 },
      itemsPerSec: 100,
      p95Ms: 10,
      reason: 'maxBatchSize=32: 100 items/s',
      serverTerms: text,
      serverTermsKind,
    },
  });

  it('a command stays one line; a config.pbtxt fragment is printed indented under its name', () => {
    expect(serverSweepLines(sweep('command', 'serve --port {port} --max-batch 32'))[1]).toBe(
      'server command: serve --port {port} --max-batch 32',
    );
    expect(serverSweepLines(sweep('config.pbtxt', 'max_batch_size: 32\ndynamic_batching {\n}')).slice(1, 5)).toEqual([
      'server config.pbtxt:',
      '  max_batch_size: 32',
      '  dynamic_batching {',
      '  }',
    ]);
  });

  it('report.md names what the block is', () => {
    const markdown = serverSweepSection({ serverSweep: sweep('config.pbtxt', 'max_batch_size: 32') } as RunReport);
    expect(markdown).toContain(
      "In the server's own terms (a fragment of the model's Triton config.pbtxt):\n\n```\nmax_batch_size: 32\n```",
    );
  });
});
