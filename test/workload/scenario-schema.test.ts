import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { scaleLevel, withoutFloatNoise } from '../../src/workload/scenario-schema.js';

function parseError(yaml: string): InputError {
  try {
    parseWorkload(yaml, 'bad.yaml', '/base');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected an InputError for:\n${yaml}`);
}

const STAGES = '  stages:\n    - { name: up, duration: 10s, target: 4 }\n    - { name: hold, duration: 1m, target: 4 }\n';
const scenario = (fields: string, stages = STAGES) => `scenario:\n  kind: steady\n  stage: classify\n${fields}${stages}`;

describe('scenario: in a workload', () => {
  it('resolves with defaults: window 1s, batch 8 in process, scales 1, closed loop, stability off', () => {
    const workload = parseWorkload(scenario(''), 'steady.yaml', '/base');
    expect(workload.scenario).toEqual({
      kind: 'steady',
      stage: 'classify',
      batchSize: 8,
      stages: [
        { name: 'up', durationMs: 10_000, target: 4 },
        { name: 'hold', durationMs: 60_000, target: 4 },
      ],
      timeScale: 1,
      loadScale: 1,
      windowMs: 1000,
      recoveryTargetMs: 30_000,
      stopAfterBreak: null,
    });
    expect(workload.load).toEqual({ kind: 'closed' });
    expect(workload.stages).toEqual([
      { stage: 'classify', mode: 'dynamic', batchSizes: [8], concurrency: [4], maxQueueDelayMs: 2, maxNewTokens: 16 },
    ]);
    expect((workload as unknown as { signoff: { stability: unknown } }).signoff.stability).toBeNull();
  });

  it('applies the file`s own scales once: durations, window, recovery target and targets', () => {
    const yaml = `scenario:\n  kind: spike\n  stage: generate\n  batchSize: 4\n  window: 2s\n  recoveryTarget: 20s\n  timeScale: 0.5\n  loadScale: 0.1\n${STAGES.replace('target: 4 }\n    - { name: hold', 'target: 0 }\n    - { name: hold')}`;
    const spec = parseWorkload(yaml, 'spike.yaml', '/').scenario;
    expect(spec?.stages).toEqual([
      { name: 'up', durationMs: 5000, target: 0 },
      { name: 'hold', durationMs: 30_000, target: 1 },
    ]);
    expect([spec?.windowMs, spec?.recoveryTargetMs, spec?.timeScale, spec?.loadScale]).toEqual([1000, 10_000, 0.5, 0.1]);
  });

  it('stress stops after 1 breaking stage by default; other kinds run every stage', () => {
    const stress = parseWorkload(scenario('').replace('kind: steady', 'kind: stress'), 's.yaml', '/').scenario;
    expect(stress?.stopAfterBreak).toBe(1);
    const all = parseWorkload(scenario('  stopAfterBreak: null\n').replace('kind: steady', 'kind: stress'), 's.yaml', '/').scenario;
    expect(all?.stopAfterBreak).toBeNull();
  });

  it('takes open-loop arrivals without rates; the levels become the rates, targets keep decimals', () => {
    const yaml = `load: { arrivals: poisson, maxInFlight: 32 }\n${scenario('  loadScale: 0.5\n', '  stages:\n    - { name: up, duration: 1s, target: 2.5 }\n    - { name: hold, duration: 1s, target: 2.5 }\n    - { name: more, duration: 1s, target: 7 }\n')}`;
    const workload = parseWorkload(yaml, 'open.yaml', '/');
    expect(workload.scenario?.stages.map((s) => s.target)).toEqual([1.25, 1.25, 3.5]);
    expect(workload.load).toEqual({ kind: 'open', arrivals: 'poisson', ratesPerSec: [1.25, 3.5], maxInFlight: 32 });
    expect(workload.stages[0]?.concurrency).toBe('auto');
  });

  it('an HTTP target defaults to one text per request', () => {
    const workload = parseWorkload(`target: { url: "http://127.0.0.1:9" }\n${scenario('')}`, 'h.yaml', '/');
    expect(workload.scenario?.batchSize).toBe(1);
  });

  it('leaves sweeps as they were: open arrivals without a scenario still need rates', () => {
    const error = parseError('load: { arrivals: poisson }\nstages:\n  - { stage: classify }\n');
    expect(error.where).toBe('bad.yaml: load.rates');
    expect(error.message).toContain('expected rates');
    expect(parseWorkload('stages:\n  - { stage: classify }\n', 'ok.yaml', '/').scenario).toBeUndefined();
  });
});

// [case, yaml, where (after "bad.yaml: "), message fragment]
const BAD: ReadonlyArray<readonly [string, string, string, string]> = [
  [
    'stage duration 0',
    scenario('', '  stages:\n    - { name: a, duration: 0s, target: 4 }\n'),
    'scenario.stages[0].duration',
    'expected a positive duration',
  ],
  [
    'negative target',
    scenario('', '  stages:\n    - { name: a, duration: 1s, target: -1 }\n'),
    'scenario.stages[0].target',
    'expected a load level >= 0',
  ],
  ['empty stages', scenario('', '  stages: []\n'), 'scenario.stages', 'expected at least one stage'],
  ['no stages', scenario('', ''), 'scenario.stages', 'expected a list of stages'],
  [
    'stage not a pipeline stage',
    scenario('').replace('stage: classify', 'stage: classfy'),
    'scenario.stage',
    'expected one of classify, generate, pipeline, got "classfy"',
  ],
  [
    'unknown kind',
    scenario('').replace('kind: steady', 'kind: burst'),
    'scenario.kind',
    'expected one of steady, spike, soak, stress, got "burst"',
  ],
  [
    'hold at 0 throughout',
    scenario('', '  stages:\n    - { name: a, duration: 1s, target: 0 }\n    - { name: b, duration: 1s, target: 0 }\n'),
    'scenario.stages',
    'got a hold at 0 for the whole scenario',
  ],
  [
    'fractional in-flight target',
    scenario('', '  stages:\n    - { name: a, duration: 1s, target: 2.5 }\n'),
    'scenario.stages[0].target',
    'expected an integer from 0 to 1000000 (requests in flight',
  ],
  [
    'duplicate stage names',
    scenario('', '  stages:\n    - { name: a, duration: 1s, target: 1 }\n    - { name: a, duration: 1s, target: 2 }\n'),
    'scenario.stages[1].name',
    'expected unique stage names, got "a" again',
  ],
  ['window under 250ms', scenario('  window: 100ms\n'), 'scenario.window', 'expected a duration of at least 250ms'],
  ['time scale 0', scenario('  timeScale: 0\n'), 'scenario.timeScale', 'expected a factor above 0'],
  [
    'load scale pushing past the limit',
    scenario('  loadScale: 1000\n', '  stages:\n    - { name: a, duration: 1s, target: 5000 }\n'),
    'scenario.loadScale',
    'within 1000000, got 1000',
  ],
  [
    'recoveryTarget on steady',
    scenario('  recoveryTarget: 10s\n'),
    'scenario.recoveryTarget',
    'expected no recoveryTarget on a steady scenario',
  ],
  [
    'stopAfterBreak on spike',
    scenario('  stopAfterBreak: 2\n').replace('kind: steady', 'kind: spike'),
    'scenario.stopAfterBreak',
    'expected no stopAfterBreak on a spike scenario',
  ],
  ['unknown scenario key', scenario('  ramp: 3\n'), 'scenario.ramp', 'unknown key "ramp"'],
  ['a sweep beside it', `stages:\n  - { stage: classify }\n${scenario('')}`, 'stages', 'expected no stages with a scenario'],
  ['measure beside it', `measure: { duration: 5s }\n${scenario('')}`, 'measure', 'expected no measure with a scenario'],
  ['search with it', `search: true\n${scenario('')}`, 'search', 'expected no search with a scenario'],
  ['repeat with it', `repeat: 3\n${scenario('')}`, 'repeat', 'expected 1 (or no repeat) with a scenario, got 3'],
  [
    'stability settings with it',
    `stability: { windows: 3 }\n${scenario('')}`,
    'stability',
    'expected false (or no stability) with a scenario',
  ],
  ['rates with it', `load: { arrivals: constant, rates: [1, 2] }\n${scenario('')}`, 'load.rates', 'expected no rates with a scenario'],
  [
    'maxInFlight with a closed loop',
    `load: { maxInFlight: 4 }\n${scenario('')}`,
    'load.maxInFlight',
    'expected no maxInFlight with closed-loop arrivals',
  ],
];

describe('scenario errors name the field and what was expected', () => {
  it.each(BAD)('%s', (_case, yaml, where, fragment) => {
    const error = parseError(yaml);
    expect(error.where).toBe(`bad.yaml: ${where}`);
    expect(error.message).toContain(fragment);
  });

  it('accepts stability: false beside a scenario', () => {
    expect(parseWorkload(`stability: false\n${scenario('')}`, 'ok.yaml', '/').scenario?.kind).toBe('steady');
  });
});

describe('scaleLevel', () => {
  it('rounds in-flight targets to whole numbers >= 1, keeps an explicit 0', () => {
    expect([scaleLevel(50, 0.01, false), scaleLevel(50, 0.05, false), scaleLevel(0, 10, false), scaleLevel(3, 1.5, false)]).toEqual([
      1, 3, 0, 5,
    ]);
  });

  it('keeps rate decimals without float noise, and small rates above 0', () => {
    expect([scaleLevel(3, 0.1, true), scaleLevel(0, 2, true), scaleLevel(1e-6, 1e-3, true)]).toEqual([0.3, 0, 1e-9]);
    expect(withoutFloatNoise(0.1 * 3)).toBe(0.3);
  });
});
