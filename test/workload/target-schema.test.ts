import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { planSteps } from '../../src/workload/plan.js';
import type { HttpTargetSpec, Workload } from '../../src/core/workload.js';

function parse(yaml: string): Workload {
  return parseWorkload(yaml, 'workloads/http.yaml', '/base');
}

function parseError(yaml: string): InputError {
  try {
    parse(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected an InputError for:\n${yaml}`);
}

function httpTarget(workload: Workload): HttpTargetSpec {
  if (workload.target.kind !== 'http') throw new Error('expected an HTTP target');
  return workload.target;
}

const URL_LINE = 'target:\n  url: http://127.0.0.1:8301\n';

describe('target defaults', () => {
  it('absent target: in process, closed loop, corpus texts may repeat', () => {
    const workload = parse('stages: [{ stage: classify }]');
    expect(workload.target).toEqual({ kind: 'inprocess' });
    expect(workload.load).toEqual({ kind: 'closed' });
    expect(workload.corpus.uniqueTexts).toBe(false);
    expect(workload.stages[0]?.batchSizes).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('a bare URL: betterprompts with the usual health routes, every default filled, unique texts, batch [1]', () => {
    const workload = parse(`${URL_LINE}stages: [{ stage: classify }, { stage: pipeline }]`);
    expect(workload.target).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:8301',
      protocol: 'betterprompts',
      endpoints: {},
      connections: 'auto',
      pipelining: 1,
      timeouts: { connectMs: 5000, headersMs: 30_000, bodyMs: 30_000 },
      retries: 0,
      maxResponseBytes: 16 * 1024 * 1024,
      headers: {},
      auth: null,
      // Its own route first, then the usual ones: the prompt generator has only /health/, TorchServe /ping.
      health: { routes: ['/api/v1/health', '/health', '/health/', '/v2/health/ready', '/ping'], auto: true },
      options: {
        protocol: 'betterprompts',
        classifyApi: 'intents',
        torchserveModel: 'intent_classifier',
        generate: { intent: 'question_answering', complexity: 'moderate', techniques: ['chain_of_thought'], targetModel: 'gpt-4' },
      },
    });
    expect(workload.corpus.uniqueTexts).toBe(true);
    expect(workload.stages.map((s) => s.batchSizes)).toEqual([[1], [1]]);
    expect(planSteps(workload).map((s) => s.concurrency)).toEqual([1, 1]);
  });

  it('uniqueTexts: false is kept for HTTP; a trailing slash is dropped from the URL', () => {
    const workload = parse('corpus: { uniqueTexts: false }\ntarget: { url: "https://api.example.com/v1/" }\nstages: [{ stage: classify }]');
    expect(workload.corpus.uniqueTexts).toBe(false);
    expect(httpTarget(workload).url).toBe('https://api.example.com/v1');
  });

  it('every field as written', () => {
    const target = httpTarget(
      parse(`target:
  url: http://127.0.0.1:8000
  protocol: openai
  endpoints: { generate: "http://127.0.0.1:8003" }
  connections: 8
  pipelining: 2
  timeouts: { connect: 1s, headers: 2s, body: 500ms }
  retries: 3
  maxResponseBytes: 1MiB
  headers: { X-Test-Mode: "true", X-Api-Key: { env: API_KEY } }
  auth: { login: { url: /api/v1/auth/login, usernameEnv: U, passwordEnv: P } }
  health: false
  openai: { models: { generate: tiny }, api: chat, stream: false }
stages: [{ stage: generate, batchSizes: [1], concurrency: [1, 4] }]`),
    );
    expect(target).toMatchObject({
      protocol: 'openai',
      endpoints: { generate: 'http://127.0.0.1:8003' },
      connections: 8,
      pipelining: 2,
      timeouts: { connectMs: 1000, headersMs: 2000, bodyMs: 500 },
      retries: 3,
      maxResponseBytes: 1024 * 1024,
      headers: { 'X-Test-Mode': { value: 'true' }, 'X-Api-Key': { env: 'API_KEY' } },
      auth: { kind: 'login', url: '/api/v1/auth/login', usernameEnv: 'U', passwordEnv: 'P' },
      health: { routes: [], auto: false },
      options: {
        protocol: 'openai',
        models: { classify: 'intent-classifier', generate: 'tiny', pipeline: 'enhance' },
        api: 'chat',
        stream: false,
      },
    });
  });

  it('a health route the file names is the only one tried', () => {
    expect(httpTarget(parse(`${URL_LINE}  health: /custom/\nstages: [{ stage: classify }]`)).health).toEqual({
      routes: ['/custom/'],
      auto: false,
    });
  });

  it('HTTP generation sends no length unless the file sets one; in process the models get 16', () => {
    const http = parse(`${URL_LINE}stages: [{ stage: generate }, { stage: pipeline, maxNewTokens: 48 }]`);
    expect(http.stages.map((s) => s.maxNewTokens)).toEqual([null, 48]);
    expect(planSteps(http).map((s) => s.maxNewTokens)).toEqual([null, 48]);
    expect(parse('stages: [{ stage: generate }]').stages[0]?.maxNewTokens).toBe(16);
  });

  it('the stages a file leaves out follow the protocol: openai generate only, the others all three', () => {
    expect(parse(`${URL_LINE}  protocol: openai`).stages.map((s) => s.stage)).toEqual(['generate']);
    expect(parse(`${URL_LINE}  protocol: kserve-v2`).stages.map((s) => s.stage)).toEqual(['classify', 'generate', 'pipeline']);
    expect(parse(`${URL_LINE}  protocol: openai\nstages: [{ stage: classify }]`).stages.map((s) => s.stage)).toEqual(['classify']);
  });

  it('per-protocol defaults: kserve-v2 and template', () => {
    const kserve = httpTarget(
      parse(`${URL_LINE}  protocol: kserve-v2\n  auth: { bearerTokenEnv: BP_TOKEN }\nstages: [{ stage: classify }]`),
    );
    expect(kserve.health).toEqual({ routes: ['/v2/health/ready', '/health', '/health/', '/api/v1/health', '/ping'], auto: true });
    expect(kserve.auth).toEqual({ kind: 'bearer-env', tokenEnv: 'BP_TOKEN' });
    expect(kserve.options).toEqual({
      protocol: 'kserve-v2',
      models: { classify: 'intent-classifier', generate: 'prompt-generator', pipeline: 'enhance' },
      inputName: 'text',
      outputName: null,
    });
    const template = httpTarget(
      parse(
        `${URL_LINE}  protocol: template\n  template: { body: '{"inputs": {{texts}}}', output: outputs, serverTime: { path: timing.s, unit: s } }\nstages: [{ stage: classify }]`,
      ),
    );
    // Any JSON API: its health route is unknown, so none is tried unless the file names one.
    expect(template.health).toEqual({ routes: [], auto: true });
    expect(template.options).toEqual({
      protocol: 'template',
      method: 'POST',
      body: '{"inputs": {{texts}}}',
      outputPath: 'outputs',
      serverTime: { path: 'timing.s', unit: 's' },
    });
  });
});

describe('load', () => {
  it('rates alone mean constant arrivals, ascending; one step per stage x batch x rate', () => {
    const workload = parse(`${URL_LINE}load: { rates: [40, 10], maxInFlight: 64 }\nstages: [{ stage: classify, batchSizes: [1, 8] }]`);
    expect(workload.load).toEqual({ kind: 'open', arrivals: 'constant', ratesPerSec: [10, 40], maxInFlight: 64 });
    expect(planSteps(workload).map((s) => [s.batchSize, s.concurrency, s.arrivals])).toEqual([
      [1, null, { process: 'constant', ratePerSec: 10, maxInFlight: 64 }],
      [1, null, { process: 'constant', ratePerSec: 40, maxInFlight: 64 }],
      [8, null, { process: 'constant', ratePerSec: 10, maxInFlight: 64 }],
      [8, null, { process: 'constant', ratePerSec: 40, maxInFlight: 64 }],
    ]);
  });

  it('poisson without a cap; arrivals: closed is the default', () => {
    expect(parse('load: { arrivals: poisson, rates: [2.5] }\nstages: [{ stage: classify }]').load).toEqual({
      kind: 'open',
      arrivals: 'poisson',
      ratesPerSec: [2.5],
      maxInFlight: null,
    });
    expect(parse('load: { arrivals: closed }\nstages: [{ stage: classify }]').load).toEqual({ kind: 'closed' });
  });
});

// [case, yaml, where (after "workloads/http.yaml: "), message fragments]
const BAD: ReadonlyArray<readonly [string, string, string, readonly string[]]> = [
  ['no url', 'target: { protocol: openai }', 'target.url', ['expected an http:// or https:// URL']],
  ['ftp url', 'target: { url: "ftp://host/x" }', 'target.url', ['expected an http:// or https:// URL, got a ftp: URL']],
  ['not a url', 'target: { url: "localhost 8301" }', 'target.url', ['expected an http:// or https:// URL', 'got "localhost 8301"']],
  ['query in url', 'target: { url: "http://h/x?a=1" }', 'target.url', ['without query or fragment']],
  [
    'unknown protocol',
    `${URL_LINE}  protocol: grpc`,
    'target.protocol',
    ['expected one of betterprompts, kserve-v2, openai, template, got "grpc"'],
  ],
  ['unknown target key', `${URL_LINE}  timeout: 5s`, 'target.timeout', ['unknown key "timeout"', 'timeouts']],
  ['bad endpoint', `${URL_LINE}  endpoints: { classify: "tcp://x" }`, 'target.endpoints.classify', ['http:// or https://']],
  [
    'unknown endpoint stage',
    `${URL_LINE}  endpoints: { classifier: "http://x" }`,
    'target.endpoints.classifier',
    ['unknown key "classifier"'],
  ],
  ['connections 0', `${URL_LINE}  connections: 0`, 'target.connections', ['expected "auto" or an integer from 1']],
  ['pipelining 0', `${URL_LINE}  pipelining: 0`, 'target.pipelining', ['expected an integer from 1 to 1024, got 0']],
  ['bad timeout', `${URL_LINE}  timeouts: { headers: soon }`, 'target.timeouts.headers', ['expected a positive duration', 'got "soon"']],
  ['negative retries', `${URL_LINE}  retries: -1`, 'target.retries', ['expected an integer from 0 to 100, got -1']],
  ['bad size', `${URL_LINE}  maxResponseBytes: 16 megs`, 'target.maxResponseBytes', ['such as 16MiB', 'got "16 megs"']],
  ['tiny size', `${URL_LINE}  maxResponseBytes: 10`, 'target.maxResponseBytes', ['from 1024 bytes', 'got 10']],
  ['header number', `${URL_LINE}  headers: { X-N: 5 }`, 'target.headers.X-N', ['expected a string or { env: NAME }']],
  [
    'header env name',
    `${URL_LINE}  headers: { X-K: { env: "bad name" } }`,
    'target.headers.X-K.env',
    ['expected an environment variable name'],
  ],
  ['header name', `${URL_LINE}  headers: { "X K": a }`, 'target.headers.X K', ['expected a header name']],
  [
    'auth shape',
    `${URL_LINE}  auth: { token: abc }`,
    'target.auth',
    ['{ bearerTokenEnv: NAME } or { login: { url, usernameEnv, passwordEnv } }'],
  ],
  ['health true', `${URL_LINE}  health: true`, 'target.health', ['a path such as /api/v1/health, an http(s) URL, or false']],
  [
    'another protocol block',
    `${URL_LINE}  protocol: openai\n  kserve: { inputName: x }`,
    'target.kserve',
    ['expected no kserve block with protocol openai', 'only its own block, openai'],
  ],
  [
    'block of the default protocol',
    `${URL_LINE}  openai: { api: chat }`,
    'target.openai',
    ['expected no openai block with protocol betterprompts'],
  ],
  ['template without block', `${URL_LINE}  protocol: template`, 'target.template', ['expected a template block ({ body, output })']],
  [
    'template body without placeholder',
    `${URL_LINE}  protocol: template\n  template: { body: "{}", output: x }`,
    'target.template.body',
    ['containing {{text}} or {{texts}}'],
  ],
  [
    'template without output',
    `${URL_LINE}  protocol: template\n  template: { body: "{{text}}" }`,
    'target.template.output',
    ['a dotted path to the output'],
  ],
  [
    'classifyApi',
    `${URL_LINE}  betterprompts: { classifyApi: rest }`,
    'target.betterprompts.classifyApi',
    ['expected one of intents, torchserve, got "rest"'],
  ],
  ['openai api', `${URL_LINE}  protocol: openai\n  openai: { api: responses }`, 'target.openai.api', ['expected one of completions, chat']],
  [
    'static mode over HTTP',
    `${URL_LINE}stages: [{ stage: classify, mode: static }]`,
    'stages[0].mode',
    ['expected dynamic (or no mode) with an HTTP target', 'static is an in-process batcher setting'],
  ],
  ['rates with closed', 'load: { arrivals: closed, rates: [10] }', 'load.rates', ['expected no rates with closed-loop arrivals']],
  ['maxInFlight with closed', 'load: { maxInFlight: 4 }', 'load.maxInFlight', ['expected no maxInFlight with closed-loop arrivals']],
  ['open without rates', 'load: { arrivals: poisson }', 'load.rates', ['expected rates', 'with poisson arrivals, got none']],
  ['rate 0', 'load: { rates: [0] }', 'load.rates[0]', ['expected a rate in requests per second, above 0', 'got 0']],
  ['duplicate rates', 'load: { rates: [5, 5] }', 'load.rates[1]', ['expected unique rates, got 5 again']],
  [
    'unknown arrivals',
    'load: { arrivals: burst, rates: [1] }',
    'load.arrivals',
    ['expected one of closed, constant, poisson, got "burst"'],
  ],
  ['maxInFlight 0', 'load: { rates: [1], maxInFlight: 0 }', 'load.maxInFlight', ['expected an integer from 1']],
  [
    'stage concurrency with open load',
    'load: { rates: [1] }\nstages: [{ stage: classify, concurrency: 4 }]',
    'stages[0].concurrency',
    ['expected no concurrency with open-loop load'],
  ],
  [
    'concurrency list with 0',
    'stages: [{ stage: classify, concurrency: [1, 0] }]',
    'stages[0].concurrency[1]',
    ['expected an integer from 1 to 1000000, got 0'],
  ],
  [
    'duplicate concurrency',
    'stages: [{ stage: classify, concurrency: [4, 4] }]',
    'stages[0].concurrency[1]',
    ['expected unique concurrency levels, got 4 again'],
  ],
];

describe('target and load errors: one InputError naming the field and what was expected', () => {
  it.each(BAD)('%s', (_name, yaml, where, fragments) => {
    const error = parseError(yaml);
    expect(error.where).toBe(`workloads/http.yaml: ${where}`);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
  });

  it('credentials in the URL are refused without being repeated', () => {
    const error = parseError('target: { url: "http://alice:s3cret@127.0.0.1:8301/api" }');
    expect(error.where).toBe('workloads/http.yaml: target.url');
    expect(error.message).toContain('expected a URL without credentials (use target.auth or target.headers');
    expect(`${error.where} ${error.message}`).not.toContain('s3cret');
    expect(error.message).not.toContain('alice');
  });

  it('a login URL with credentials names auth.login.url and where the credentials go, not "got a mapping"', () => {
    const error = parseError(
      'target: { url: "http://127.0.0.1:8301", auth: { login: { url: "http://alice:s3cret@127.0.0.1:8301/login", usernameEnv: U, passwordEnv: P } } }',
    );
    expect(error.where).toBe('workloads/http.yaml: target.auth.login.url');
    expect(error.message).toContain(
      'expected a URL without credentials (put the username and password in the environment variables that usernameEnv and passwordEnv name)',
    );
    expect(error.message).not.toContain('got a mapping');
    expect(`${error.where} ${error.message}`).not.toMatch(/s3cret|alice/);
  });

  it('a health URL with credentials is refused without repeating them', () => {
    const error = parseError('target: { url: "http://127.0.0.1:8301", health: "http://alice:s3cret@127.0.0.1:8301/health" }');
    expect(error.where).toBe('workloads/http.yaml: target.health');
    expect(error.message).toContain('expected a URL without credentials (use target.auth or target.headers');
    expect(`${error.where} ${error.message}`).not.toMatch(/s3cret|alice/);
  });

  it('an auth block of neither shape still says which shapes there are', () => {
    const error = parseError('target: { url: "http://127.0.0.1:8301", auth: { token: x } }');
    expect(error.where).toBe('workloads/http.yaml: target.auth');
    expect(error.message).toContain('expected { bearerTokenEnv: NAME } or { login: { url, usernameEnv, passwordEnv } }, got a mapping');
  });

  // Each URL that fails to parse or is refused, in every field that takes one: the message masks user:password (and a query).
  it.each([
    ['target.url', 'a port out of range', 'url: "http://alice:s3cret@127.0.0.1:99999"', 'got "http://***@127.0.0.1:99999"'],
    ['target.url', 'an unclosed IPv6 bracket', 'url: "http://alice:s3cret@[::1"', 'got "http://***@[::1"'],
    ['target.url', 'a scheme typo', 'url: "http//alice:s3cret@127.0.0.1"', 'got "***@127.0.0.1"'],
    ['target.url', 'a key in the query', 'url: "http://127.0.0.1:8301/x?api_key=s3cret"', 'got one in http://127.0.0.1:8301/x'],
    [
      'target.url',
      'a key in the query of a bad URL',
      'url: "http://127.0.0.1:99999/x?api_key=s3cret"',
      'got "http://127.0.0.1:99999/x?***"',
    ],
    [
      'target.health',
      'credentials',
      'url: http://127.0.0.1:1\n  health: "http://alice:s3cret@127.0.0.1:18080/h"',
      'expected a URL without credentials',
    ],
    [
      'target.health',
      'a port out of range',
      'url: http://127.0.0.1:1\n  health: "http://alice:s3cret@127.0.0.1:99999/h"',
      'got "http://***@127.0.0.1:99999/h"',
    ],
    [
      'target.endpoints.classify',
      'an unclosed bracket',
      'url: http://127.0.0.1:1\n  endpoints: { classify: "http://alice:s3cret@[::1" }',
      'got "http://***@[::1"',
    ],
    [
      'target.auth.login.url',
      'credentials in the login URL',
      'url: http://127.0.0.1:1\n  auth: { login: { url: "http://alice:s3cret@h/login", usernameEnv: U, passwordEnv: P } }',
      'expected a URL without credentials',
    ],
  ])('%s with %s: never repeats the secret', (where, _case, yaml, fragment) => {
    const error = parseError(`target:\n  ${yaml}`);
    expect(`${error.where} ${error.message}`).not.toMatch(/s3cret|alice/);
    expect(error.where).toBe(`workloads/http.yaml: ${where}`);
    expect(error.message).toContain(fragment);
  });
});
