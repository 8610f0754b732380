import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { applyOverrides, type WorkloadOverrides } from '../../src/workload/overrides.js';
import { planSteps } from '../../src/workload/plan.js';
import type { Workload } from '../../src/core/workload.js';
import { HTTP_DEFAULTS } from '../../src/workload/defaults.js';

const inProcess = parseWorkload(
  'name: local\nstages:\n  - { stage: classify, batchSizes: [1, 8] }\n  - { stage: generate, batchSizes: [1] }',
  'local.yaml',
  '/',
);
const http = parseWorkload(
  `name: remote
target:
  url: http://127.0.0.1:8301
  protocol: openai
  openai: { api: chat }
  timeouts: { connect: 1s }
load: { arrivals: poisson, rates: [5], maxInFlight: 8 }
stages: [{ stage: generate }]`,
  'remote.yaml',
  '/',
);

function rejected(workload: Workload, overrides: WorkloadOverrides): InputError {
  try {
    applyOverrides(workload, overrides, RUN_FLAGS);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('target flags', () => {
  it('--target turns an in-process workload into betterprompts over HTTP with unique texts', () => {
    const out = applyOverrides(inProcess, { targetUrl: 'http://127.0.0.1:8001/' });
    expect(out.target).toMatchObject({
      kind: 'http',
      url: 'http://127.0.0.1:8001',
      protocol: 'betterprompts',
      health: { routes: HTTP_DEFAULTS.healthRoutes.betterprompts, auto: true },
      connections: 'auto',
    });
    expect(out.corpus.uniqueTexts).toBe(true);
    expect(out.stages.map((s) => s.batchSizes)).toEqual([[1, 8], [1]]);
    expect(planSteps(out).map((s) => s.concurrency)).toEqual([1, 1, 1]);
    expect(inProcess.target).toEqual({ kind: 'inprocess' });
  });

  it('--protocol with --target picks that protocol and its defaults; --no-unique-texts keeps repeats', () => {
    const out = applyOverrides(inProcess, { targetUrl: 'http://127.0.0.1:8000', protocol: 'kserve-v2', uniqueTexts: false });
    expect(out.target).toMatchObject({
      protocol: 'kserve-v2',
      health: { routes: HTTP_DEFAULTS.healthRoutes['kserve-v2'], auto: true },
      options: { protocol: 'kserve-v2', inputName: 'text' },
    });
    expect(out.corpus.uniqueTexts).toBe(false);
  });

  it('over an HTTP file: --target replaces only the URL, --protocol resets the options block, --connections and --timeout apply', () => {
    const sameProtocol = applyOverrides(http, { targetUrl: 'http://127.0.0.1:9000', connections: 4, timeoutMs: 750 });
    expect(sameProtocol.target).toMatchObject({
      url: 'http://127.0.0.1:9000',
      protocol: 'openai',
      options: { api: 'chat' },
      connections: 4,
      timeouts: { connectMs: 1000, headersMs: 750, bodyMs: 750 },
    });
    const otherProtocol = applyOverrides(http, { protocol: 'betterprompts' });
    expect(otherProtocol.target).toMatchObject({
      protocol: 'betterprompts',
      health: { routes: HTTP_DEFAULTS.healthRoutes.betterprompts, auto: true },
      options: { protocol: 'betterprompts', classifyApi: 'intents' },
    });
    const ownHealth = parseWorkload('target: { url: "http://127.0.0.1:1", health: /ready }\nstages: [{ stage: classify }]', 'h.yaml', '/');
    expect(applyOverrides(ownHealth, { protocol: 'openai' }).target).toMatchObject({
      protocol: 'openai',
      health: { routes: ['/ready'], auto: false },
    });
  });

  it('--health names the one route to check (a path or a URL); --no-health skips the check', () => {
    expect(applyOverrides(http, { health: '/custom' }).target).toMatchObject({ health: { routes: ['/custom'], auto: false } });
    expect(applyOverrides(http, { health: 'http://127.0.0.1:9/up/' }).target).toMatchObject({
      health: { routes: ['http://127.0.0.1:9/up'], auto: false },
    });
    expect(applyOverrides(http, { health: false }).target).toMatchObject({ health: { routes: [], auto: false } });
    // Given with --protocol, the flag wins over the new protocol's default routes.
    expect(applyOverrides(http, { protocol: 'kserve-v2', health: '/live' }).target).toMatchObject({
      protocol: 'kserve-v2',
      health: { routes: ['/live'], auto: false },
    });
    expect(rejected(http, { health: 'health' })).toMatchObject({ where: '--health' });
    expect(rejected(http, { health: 'health' }).message).toBe(
      '--health: expected a path starting with "/" or an http(s) URL: expected an http:// or https:// URL such as http://127.0.0.1:8301, got "health"',
    );
    expect(rejected(http, { health: 'http://u:pw-77@127.0.0.1:9/health' }).message).not.toContain('pw-77');
    expect(rejected(inProcess, { health: false }).message).toContain('--health: expected an HTTP target');
  });

  it('refuses what cannot work, naming the flag', () => {
    expect(rejected(inProcess, { targetUrl: 'http://u:secret@h:1' })).toMatchObject({ where: '--target' });
    expect(rejected(inProcess, { targetUrl: 'http://u:secret@h:1' }).message).not.toContain('secret');
    expect(rejected(inProcess, { targetUrl: 'localhost:8301x' }).where).toBe('--target');
    expect(rejected(inProcess, { protocol: 'openai' }).message).toContain('expected an HTTP target (give --target <url>');
    expect(rejected(inProcess, { connections: 2 }).where).toBe('--connections');
    expect(rejected(http, { connections: 0 }).message).toContain('expected an integer from 1');
    expect(rejected(http, { protocol: 'template' }).message).toContain('needs a target.template block');
    expect(rejected(http, { timeoutMs: 0 }).where).toBe('--timeout');
    const staticFile = parseWorkload('stages: [{ stage: classify, mode: static }]', 's.yaml', '/');
    expect(rejected(staticFile, { targetUrl: 'http://127.0.0.1:1' }).message).toContain('expected dynamic batching for an HTTP target');
  });
});

describe('load flags', () => {
  it('--concurrency sets levels for every stage and makes an open-loop file closed', () => {
    const out = applyOverrides(http, { concurrency: [16, 1, 4] });
    expect(out.load).toEqual({ kind: 'closed' });
    expect(out.stages.map((s) => s.concurrency)).toEqual([[1, 4, 16]]);
    expect(planSteps(out).map((s) => [s.concurrency, s.arrivals])).toEqual([
      [1, null],
      [4, null],
      [16, null],
    ]);
  });

  it('--rate implies open loop with constant arrivals; --arrivals and --max-in-flight shape it', () => {
    expect(applyOverrides(inProcess, { ratesPerSec: [20, 10] }).load).toEqual({
      kind: 'open',
      arrivals: 'constant',
      ratesPerSec: [10, 20],
      maxInFlight: null,
    });
    expect(applyOverrides(inProcess, { ratesPerSec: [20], arrivals: 'poisson', maxInFlight: 3 }).load).toEqual({
      kind: 'open',
      arrivals: 'poisson',
      ratesPerSec: [20],
      maxInFlight: 3,
    });
    // The file's open-loop settings stay unless a flag replaces them.
    expect(applyOverrides(http, { ratesPerSec: [50] }).load).toEqual({
      kind: 'open',
      arrivals: 'poisson',
      ratesPerSec: [50],
      maxInFlight: 8,
    });
    expect(applyOverrides(http, { arrivals: 'constant' }).load).toEqual({
      kind: 'open',
      arrivals: 'constant',
      ratesPerSec: [5],
      maxInFlight: 8,
    });
  });

  it('refuses contradictions and bad values, naming the flag', () => {
    expect(rejected(inProcess, { concurrency: [2], ratesPerSec: [5] }).message).toContain(
      'either --concurrency (closed loop) or --rate (open loop)',
    );
    expect(rejected(inProcess, { arrivals: 'poisson' })).toMatchObject({ where: '--arrivals' });
    expect(rejected(inProcess, { maxInFlight: 4 }).where).toBe('--max-in-flight');
    expect(rejected(inProcess, { concurrency: [2], maxInFlight: 4 }).message).toContain('expected --rate with it');
    expect(rejected(inProcess, { ratesPerSec: [0] })).toMatchObject({ where: '--rate' });
    expect(rejected(inProcess, { ratesPerSec: [] }).message).toContain('expected at least one value');
    expect(rejected(inProcess, { ratesPerSec: [5, 5] }).message).toContain('expected unique values, got 5 twice');
    expect(rejected(inProcess, { concurrency: [0] })).toMatchObject({ where: '--concurrency' });
    expect(rejected(inProcess, { concurrency: [1.5] }).message).toContain('got 1.5');
    expect(rejected(inProcess, { ratesPerSec: [1], maxInFlight: 0 }).where).toBe('--max-in-flight');
  });
});
