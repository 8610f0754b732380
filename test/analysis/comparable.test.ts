import { describe, expect, it } from 'vitest';
import { assertComparable, canonicalJson, findDifferences } from '../../src/analysis/comparable.js';
import { InputError } from '../../src/errors.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { GpuTelemetryReport } from '../../src/core/report/telemetry.js';
import { syntheticReport } from '../report/synthetic-run.js';

const base = syntheticReport();

function withGpus(report: RunReport, names: string[]): RunReport {
  const gpus = names.map((name, index) => ({
    index,
    name,
    uuid: null,
    pciBusId: null,
    memTotalBytes: null,
    powerLimitW: null,
    persistence: null,
    migMode: null,
    eccMode: null,
  }));
  const telemetry = { inventory: { driverVersion: null, cudaVersion: null, gpus } } as unknown as GpuTelemetryReport;
  return { ...report, gpuTelemetry: telemetry };
}

const stages = [
  {
    stage: 'classify' as const,
    mode: 'dynamic' as const,
    batchSizes: [1, 4],
    concurrency: 'auto' as const,
    maxQueueDelayMs: 5,
    maxNewTokens: 64,
  },
];

describe('findDifferences', () => {
  it('finds none between a run and itself, nor for a different source path, URL-free fields or run id', () => {
    const moved = { ...base, runId: 'other', workload: { ...base.workload, source: '/elsewhere/w.yaml', seed: 9 } };
    expect(findDifferences(base, moved)).toEqual([]);
  });

  it.each<[string, (r: RunReport) => RunReport]>([
    ['workload.name', (r) => ({ ...r, workload: { ...r.workload, name: 'other' } })],
    ['workload.measure', (r) => ({ ...r, workload: { ...r.workload, measure: { ...r.workload.measure, durationMs: 2000 } } })],
    [
      'workload.load',
      (r) => ({ ...r, workload: { ...r.workload, load: { kind: 'open', arrivals: 'poisson', ratesPerSec: [10], maxInFlight: null } } }),
    ],
    ['models[classify].parameters', (r) => ({ ...r, models: r.models.map((m) => ({ ...m, parameters: 2_000_000 })) })],
    ['models[classify].name', (r) => ({ ...r, models: r.models.map((m) => ({ ...m, name: 'bigger-classifier' })) })],
    ['backend.name', (r) => ({ ...r, backend: { ...r.backend!, name: 'cpu' } })],
  ])('names %s', (field, change) => {
    const differences = findDifferences(base, change(base));
    expect(differences.map((d) => d.field)).toEqual([field]);
  });

  it('names a stage and its batch sizes', () => {
    const a = { ...base, workload: { ...base.workload, stages } };
    const b = { ...base, workload: { ...base.workload, stages: [{ ...stages[0]!, batchSizes: [1, 8] }] } };
    expect(findDifferences(a, b)).toEqual([{ field: 'workload.stages[classify].batchSizes', baseline: '[1,4]', candidate: '[1,8]' }]);
    const c = { ...base, workload: { ...base.workload, stages: [...stages, { ...stages[0]!, stage: 'pipeline' as const }] } };
    expect(findDifferences(a, c).map((d) => d.field)).toEqual(['workload.stages']);
  });

  it('compares GPUs only when both runs have an inventory', () => {
    const h100 = withGpus(base, ['NVIDIA H100 80GB HBM3']);
    const a100 = withGpus(base, ['NVIDIA A100-SXM4-80GB']);
    expect(findDifferences(h100, a100)).toEqual([
      { field: 'gpu.names', baseline: '["NVIDIA H100 80GB HBM3"]', candidate: '["NVIDIA A100-SXM4-80GB"]' },
    ]);
    expect(findDifferences(h100, base)).toEqual([]);
  });
});

describe('assertComparable', () => {
  const differences = findDifferences(base, {
    ...base,
    backend: { ...base.backend!, name: 'cpu' },
    workload: { ...base.workload, name: 'x' },
  });

  it('refuses with an InputError naming the first field and listing the rest', () => {
    expect(() => assertComparable(differences, false)).toThrow(InputError);
    try {
      assertComparable(differences, false);
    } catch (error) {
      expect((error as InputError).where).toBe('workload.name');
      expect((error as InputError).message).toContain('baseline "synthetic", candidate "x"');
      expect((error as InputError).message).toContain('also differs: backend.name');
      expect((error as InputError).message).toContain('--force');
    }
  });

  it('passes when forced or when nothing differs', () => {
    expect(() => assertComparable(differences, true)).not.toThrow();
    expect(() => assertComparable([], false)).not.toThrow();
  });
});

describe('canonicalJson', () => {
  it('ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(canonicalJson(undefined)).toBe('null');
  });
});
