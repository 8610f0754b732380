import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { applyOverrides, type WorkloadOverrides } from '../../src/workload/overrides.js';

const base = parseWorkload(
  `
name: base
engine: { backend: wasm, instances: 1 }
warmup: { requests: 16, duration: 1s }
measure: { requests: 200, duration: 10s, maxDuration: 30s }
stages:
  - { stage: classify, batchSizes: [1, 8, 32] }
  - { stage: generate, batchSizes: [1, 4], maxNewTokens: 16 }
  - { stage: pipeline, batchSizes: [4], maxNewTokens: 16 }
`,
  'base.yaml',
  '/',
);

function rejected(overrides: WorkloadOverrides): InputError {
  try {
    applyOverrides(base, overrides, RUN_FLAGS);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('applyOverrides', () => {
  it('no overrides returns an equal workload', () => {
    expect(applyOverrides(base, {})).toEqual(base);
  });

  it('batch sizes apply to every stage, sorted; the input workload is untouched', () => {
    const out = applyOverrides(base, { batchSizes: [16, 1, 4] });
    expect(out.stages.map((s) => s.batchSizes)).toEqual([
      [1, 4, 16],
      [1, 4, 16],
      [1, 4, 16],
    ]);
    expect(base.stages[0]?.batchSizes).toEqual([1, 8, 32]);
  });

  it('stages keep the workload order and only those named', () => {
    const out = applyOverrides(base, { stages: ['pipeline', 'classify'] });
    expect(out.stages.map((s) => s.stage)).toEqual(['classify', 'pipeline']);
  });

  it('engine, seed, tokens and budget', () => {
    const out = applyOverrides(base, { backend: 'cpu', instances: 4, seed: 9, maxNewTokens: 2, p95Ms: 100, p99Ms: 200, maxErrorRate: 0 });
    expect(out.engine).toEqual({ backend: 'cpu', instances: 4 });
    expect(out.seed).toBe(9);
    expect(out.stages.map((s) => s.maxNewTokens)).toEqual([2, 2, 2]);
    expect(out.budget).toEqual({ p95Ms: 100, p99Ms: 200, maxErrorRate: 0 });
  });

  it('--requests alone measures exactly that many (the file duration no longer ends the step)', () => {
    expect(applyOverrides(base, { requests: 50 }).measure).toEqual({ requests: 50, maxDurationMs: 30_000 });
  });

  it('--duration alone measures by time, raising the hard limit when it would cut the step short', () => {
    expect(applyOverrides(base, { durationMs: 5000 }).measure).toEqual({ durationMs: 5000, maxDurationMs: 30_000 });
    expect(applyOverrides(base, { durationMs: 60_000 }).measure).toEqual({ durationMs: 60_000, maxDurationMs: 180_000 });
    expect(applyOverrides(base, { requests: 10, durationMs: 2000 }).measure).toEqual({
      requests: 10,
      durationMs: 2000,
      maxDurationMs: 30_000,
    });
  });

  it('--warmup replaces the warm-up with a count (0 = none)', () => {
    expect(applyOverrides(base, { warmupRequests: 0 }).warmup).toEqual({ requests: 0 });
  });

  it.each([
    [{ batchSizes: [] }, '--batch-sizes', 'expected at least one batch size, got none'],
    [{ batchSizes: [0, 4] }, '--batch-sizes', 'expected positive integers up to 4096, got 0'],
    [{ batchSizes: [4, 4] }, '--batch-sizes', 'expected unique batch sizes, got 4 twice'],
    [{ batchSizes: [8192] }, '--batch-sizes', 'got 8192'],
    [{ stages: [] }, '--stages', 'got none'],
    [{ stages: ['classify', 'classify'] }, '--stages', 'expected each stage once'],
    [{ backend: 'cuda' }, '--backend', 'expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu, got "cuda"'],
    [{ instances: 65 }, '--instances', 'expected an integer from 1 to 64, got 65'],
    [{ requests: 0 }, '--requests', 'got 0'],
    [{ durationMs: -1 }, '--duration', 'expected a positive duration, got -1 ms'],
    [{ warmupRequests: -1 }, '--warmup', 'from 0 to'],
    [{ maxNewTokens: 2000 }, '--max-new-tokens', 'from 1 to 1024, got 2000'],
    [{ seed: 1.5 }, '--seed', 'got 1.5'],
    [{ p95Ms: 0 }, '--p95', 'got 0 ms'],
    [{ p99Ms: Number.NaN }, '--p99', 'got NaN ms'],
    [{ maxErrorRate: 1.5 }, '--max-error-rate', 'expected a ratio from 0 to 1'],
  ] as ReadonlyArray<readonly [WorkloadOverrides, string, string]>)('%o -> %s', (overrides, flag, fragment) => {
    const error = rejected(overrides);
    expect(error.where).toBe(flag);
    expect(error.message).toContain(fragment);
  });

  it('a stage the workload lacks is named with the ones it has', () => {
    const only = applyOverrides(base, { stages: ['classify'] });
    try {
      applyOverrides(only, { stages: ['generate'] }, RUN_FLAGS);
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).where).toBe('--stages');
      expect((error as InputError).message).toContain('expected stages of workload "base" (classify), got "generate"');
    }
  });
});
