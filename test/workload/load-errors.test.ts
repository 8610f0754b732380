import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../src/errors.js';
import { loadWorkload, parseWorkload } from '../../src/workload/load.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'workloads');

function parseError(yaml: string): InputError {
  try {
    parseWorkload(yaml, 'workloads/bad.yaml', '/base');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected an InputError for:\n${yaml}`);
}

async function loadError(file: string): Promise<InputError> {
  const error: unknown = await loadWorkload(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const STAGE = 'stages:\n  - { stage: classify, batchSizes: [1, 2, 4] }\n';

// [case, yaml, where (after "workloads/bad.yaml: "), message fragments]
const BAD_FIELDS: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  ['unknown top-level key', `sead: 3\n${STAGE}`, 'sead', ['unknown key "sead"', 'allowed: name, description, seed, corpus']],
  [
    'unknown stage key',
    'stages:\n  - { stage: classify, batchSize: [1, 2] }',
    'stages[0].batchSize',
    ['unknown key "batchSize"', 'batchSizes'],
  ],
  [
    'unknown nested key',
    `measure: { requests: 10, timeout: 5s }\n${STAGE}`,
    'measure.timeout',
    ['unknown key "timeout"', 'allowed: requests, duration, maxDuration'],
  ],
  [
    'batch size 0',
    'stages:\n  - { stage: classify, batchSizes: [1, 2, 0] }',
    'stages[0].batchSizes[2]',
    ['expected a positive integer up to 4096, got 0'],
  ],
  ['batch size too large', 'stages:\n  - { stage: classify, batchSizes: [5000] }', 'stages[0].batchSizes[0]', ['up to 4096, got 5000']],
  ['fractional batch size', 'stages:\n  - { stage: classify, batchSizes: [1.5] }', 'stages[0].batchSizes[0]', ['got 1.5']],
  [
    'duplicate batch sizes',
    'stages:\n  - { stage: classify, batchSizes: [1, 4, 4] }',
    'stages[0].batchSizes[2]',
    ['expected unique batch sizes, got 4 again (already at index 1)'],
  ],
  [
    'batchSizes as a string',
    'stages:\n  - { stage: classify, batchSizes: "8" }',
    'stages[0].batchSizes',
    ['expected a list of batch sizes such as [1, 4, 16], got "8"'],
  ],
  ['empty batchSizes', 'stages:\n  - { stage: classify, batchSizes: [] }', 'stages[0].batchSizes', ['expected at least one batch size']],
  [
    'negative duration',
    `measure: { duration: -5s }\n${STAGE}`,
    'measure.duration',
    ['expected a positive duration such as "500ms"', 'got "-5s"'],
  ],
  ['negative number duration', `warmup: { duration: -100 }\n${STAGE}`, 'warmup.duration', ['expected a positive duration', 'got -100']],
  ['"abc" duration', `measure: { duration: abc }\n${STAGE}`, 'measure.duration', ['expected a positive duration', 'got "abc"']],
  ['zero p95', `budget: { p95: 0ms }\n${STAGE}`, 'budget.p95', ['expected a positive duration', 'got "0ms"']],
  [
    'unknown stage name',
    'stages:\n  - { stage: clasify }',
    'stages[0].stage',
    ['expected one of classify, generate, pipeline, got "clasify"'],
  ],
  [
    'stage listed twice',
    'stages:\n  - { stage: generate }\n  - { stage: generate }',
    'stages[1].stage',
    ['each stage at most once', 'already stages[0]'],
  ],
  [
    'unknown backend',
    `engine: { backend: cuda }\n${STAGE}`,
    'engine.backend',
    ['expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu, got "cuda"'],
  ],
  ['instances 0', `engine: { instances: 0 }\n${STAGE}`, 'engine.instances', ['expected an integer from 1 to 64, got 0']],
  ['error rate 150%', `budget: { maxErrorRate: 150% }\n${STAGE}`, 'budget.maxErrorRate', ['expected a ratio from 0 to 1', 'got "150%"']],
  ['error rate 2', `budget: { maxErrorRate: 2 }\n${STAGE}`, 'budget.maxErrorRate', ['got 2']],
  [
    'measure without requests, duration or precision',
    `measure: { maxDuration: 30s }\n${STAGE}`,
    'measure',
    ['expected requests, duration or precision', 'got none'],
  ],
  [
    'maxDuration below duration',
    `measure: { duration: 10s, maxDuration: 5s }\n${STAGE}`,
    'measure.maxDuration',
    ['expected maxDuration >= duration (10000 ms), got 5000 ms'],
  ],
  [
    'concurrency not auto or a number',
    'stages:\n  - { stage: classify, concurrency: lots }',
    'stages[0].concurrency',
    ['expected "auto", an integer from 1', 'or a list of them', 'got "lots"'],
  ],
  [
    'maxNewTokens on classify',
    'stages:\n  - { stage: classify, maxNewTokens: 8 }',
    'stages[0].maxNewTokens',
    ['it applies to generate and pipeline'],
  ],
  [
    'maxNewTokens too large',
    'stages:\n  - { stage: generate, maxNewTokens: 5000 }',
    'stages[0].maxNewTokens',
    ['from 1 to 1024, got 5000'],
  ],
  [
    'unknown built-in model',
    `models: { classifier: bert }\n${STAGE}`,
    'models.classifier',
    ['"intent-classifier" (built-in) or a model folder path', 'got "bert"'],
  ],
  ['unknown model size', `models: { size: large }\n${STAGE}`, 'models.size', ['expected one of small, base, got "large"']],
  [
    'empty section value',
    `measure:\n${STAGE}`,
    'measure',
    ['expected a mapping with keys requests, duration, maxDuration, precision, maxWindows, maxSweepDuration, got null'],
  ],
  ['stages not a list', 'stages: classify', 'stages', ['expected a list of stages', 'got "classify"']],
  ['empty stages', 'stages: []', 'stages', ['expected at least one stage']],
  ['top level is a list', '- stage: classify', '(top level)', ['expected a mapping with keys name, description']],
  ['uniqueTexts not a boolean', `corpus: { uniqueTexts: "yes" }\n${STAGE}`, 'corpus.uniqueTexts', ['expected true or false, got "yes"']],
];

describe('a bad workload is one InputError naming file and field', () => {
  it.each(BAD_FIELDS)('%s', (_name, yaml, field, fragments) => {
    const error = parseError(yaml);
    expect(error.where).toBe(`workloads/bad.yaml: ${field}`);
    expect(error.exitCode).toBe(ExitCode.badInput);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
    expect(error.message.startsWith(`workloads/bad.yaml: ${field}: `)).toBe(true);
  });

  it('reports the misspelt key rather than the field it left missing', () => {
    // "request" is unknown AND leaves measure without requests or duration; the typo is the cause.
    const error = parseError(`measure: { request: 10 }\n${STAGE}`);
    expect(error.where).toBe('workloads/bad.yaml: measure.request');
  });
});

describe('file-level failures', () => {
  it('malformed YAML names the line and column in one line; the code frame is kept apart for --verbose', async () => {
    const file = join(FIXTURES, 'malformed.yaml');
    const error = await loadError(file);
    expect(error.where).toBe(`${file}:4:3`);
    expect(error.message).toBe(
      `${file}:4:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    expect(error.detail).toBe('  - { stage: classify, batchSizes: [1, 2\n  - { stage: generate }\n  ^');
  });

  it('an alias bomb is bad input naming the file, not an internal error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
    }
    const error = parseError(levels.join('\n'));
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.where).toBe('workloads/bad.yaml');
    expect(error.message).toContain('invalid YAML: its aliases (*name) expand past the limit of 100');
  });

  it('a few aliases, as a hand-written workload uses them, still load', () => {
    const workload = parseWorkload(
      'stages:\n  - { stage: classify, batchSizes: &sizes [1, 2] }\n  - { stage: generate, batchSizes: *sizes }\n',
      'w.yaml',
      '/base',
    );
    expect(workload.stages.map((stage) => stage.batchSizes)).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('duplicate YAML keys are a syntax error at the second key', () => {
    const error = parseError('seed: 1\nseed: 2\n');
    expect(error.where).toBe('workloads/bad.yaml:2:1');
    expect(error.message).toContain('Map keys must be unique');
  });

  it('a missing workload file names the file', async () => {
    const file = join(FIXTURES, 'no-such-workload.yaml');
    const error = await loadError(file);
    expect(error.where).toBe(file);
    expect(error.message).toContain('cannot read the workload file (not found)');
  });

  it('a missing corpus file names corpus.path and the resolved path', async () => {
    const file = join(FIXTURES, 'missing-corpus.yaml');
    const error = await loadError(file);
    expect(error.where).toBe(`${file}: corpus.path`);
    expect(error.message).toContain(`expected an existing file, got ${join(FIXTURES, 'no-such-prompts.jsonl')} (not found)`);
  });

  it('a missing model folder names the model field', async () => {
    const file = join(FIXTURES, 'missing-model-dir.yaml');
    const error = await loadError(file);
    expect(error.where).toBe(`${file}: models.generator`);
    expect(error.message).toContain('expected an existing directory');
  });
});
