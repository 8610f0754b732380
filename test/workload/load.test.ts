import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CORPUS_PATH } from '../../src/workload/defaults.js';
import { defaultWorkload, formatFieldPath, loadWorkload, parseWorkload } from '../../src/workload/load.js';
import { signoffOf } from '../../src/workload/signoff.js';
import { planSteps } from '../../src/workload/plan.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const WORKLOADS = join(REPO_ROOT, 'workloads');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'workloads');

/**
 * Upper bound of one run's load time: every step's full warm-up, measurement and stability
 * extension (bounded by maxDuration). With measure.maxSweepDuration the measurements share that
 * cap (warm-ups count against it too, so the sweep ends by the cap plus, at worst, every step's
 * warm-up: runner/sweep-budget.ts), so the bound is the smaller of the two.
 */
function worstCaseSeconds(file: string): Promise<number> {
  return loadWorkload(file).then((w) => {
    const stability = signoffOf(w).stability;
    const steps = planSteps(w);
    const warmupsMs = steps.reduce((sum, step) => sum + (step.warmup.durationMs ?? 0), 0);
    const stepsMs = steps.reduce((sum, step) => {
      const plannedMs = step.measure.durationMs ?? step.measure.maxDurationMs;
      const extendMs = stability === null ? 0 : Math.min(stability.maxExtendMs ?? plannedMs, step.measure.maxDurationMs - plannedMs);
      return sum + (step.warmup.durationMs ?? 0) + plannedMs + extendMs;
    }, 0);
    const sweepCapMs = w.measure.maxSweepDurationMs;
    return (sweepCapMs === undefined ? stepsMs : Math.min(stepsMs, sweepCapMs + warmupsMs)) / 1000;
  });
}

describe('shipped workloads', () => {
  // budgets.yaml is a budgets file (src/workload/budgets-file.ts), not a workload.
  const shipped = readdirSync(WORKLOADS).filter((f) => f.endsWith('.yaml') && f !== 'budgets.yaml');

  it('includes default, quick and static-scaling', () => {
    expect(shipped).toEqual(expect.arrayContaining(['default.yaml', 'quick.yaml', 'static-scaling.yaml']));
  });

  it.each(shipped)('%s loads, names its corpus, and plans at least one step', async (file) => {
    const workload = await loadWorkload(join(WORKLOADS, file));
    expect(workload.source).toBe(join(WORKLOADS, file));
    expect(workload.corpus.path).toBe(join(WORKLOADS, 'corpus', 'prompts.jsonl'));
    expect(workload.description.length).toBeGreaterThan(0);
    expect(planSteps(workload).length).toBeGreaterThan(0);
  });

  it('default.yaml is the CLI default and fits the 3-minute CI allowance even in the worst case', async () => {
    const workload = await defaultWorkload(REPO_ROOT);
    expect(workload.name).toBe('default');
    expect(workload.engine).toEqual({ backend: 'auto', instances: 1 });
    expect(workload.stages.map((s) => [s.stage, s.batchSizes])).toEqual([
      ['classify', [1, 2, 4, 8, 16, 32, 64]],
      ['generate', [1, 4, 16]],
      ['pipeline', [1, 4, 16]],
    ]);
    expect(workload.budget).toEqual({ p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 });
    // Leaves 20 s of the 180 s for model loading, worker start-up, drains and reports (on 2 busy
    // cores a run's wall time beside its steps' measurement was 14 s on native and 28 s on wasm,
    // warm-ups included, which the bound already counts).
    expect(await worstCaseSeconds(join(WORKLOADS, 'default.yaml'))).toBeLessThanOrEqual(160);
  });

  it('quick.yaml takes seconds, static-scaling.yaml is static classify 1..128', async () => {
    expect(await worstCaseSeconds(join(WORKLOADS, 'quick.yaml'))).toBeLessThanOrEqual(6);
    const scaling = await loadWorkload(join(WORKLOADS, 'static-scaling.yaml'));
    expect(scaling.stages).toHaveLength(1);
    expect(scaling.stages[0]).toMatchObject({ stage: 'classify', mode: 'static', batchSizes: [1, 2, 4, 8, 16, 32, 64, 128] });
  });
});

describe('loading fixtures', () => {
  it('fills every default for a minimal file', async () => {
    const workload = await loadWorkload(join(FIXTURES, 'minimal.yaml'));
    expect(workload).toEqual({
      name: 'minimal',
      description: '',
      source: join(FIXTURES, 'minimal.yaml'),
      seed: 1,
      corpus: { path: join(FIXTURES, 'prompts.jsonl'), uniqueTexts: false },
      models: { classifier: { builtin: 'intent-classifier' }, generator: { builtin: 'prompt-generator' }, size: 'small' },
      engine: { backend: 'auto', instances: 1 },
      target: { kind: 'inprocess' },
      load: { kind: 'closed' },
      stages: [
        { stage: 'classify', mode: 'dynamic', batchSizes: [1, 2, 4, 8, 16, 32], concurrency: 'auto', maxQueueDelayMs: 2, maxNewTokens: 16 },
      ],
      warmup: { requests: 16 },
      measure: { requests: 200, durationMs: 10_000, maxDurationMs: 30_000 },
      budget: { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 },
      signoff: { stability: { windows: 3, tolerance: 0.1, maxExtendMs: null }, repeat: 1, search: false },
    });
  });

  it('converts units, sorts batch sizes and resolves paths against the file', async () => {
    const workload = await loadWorkload(join(FIXTURES, 'full.yaml'));
    expect(workload).toMatchObject({
      name: 'full-example',
      seed: 42,
      corpus: { path: join(FIXTURES, 'prompts.jsonl'), uniqueTexts: true },
      models: { classifier: { dir: join(FIXTURES, 'models', 'classifier') }, generator: { builtin: 'prompt-generator' }, size: 'base' },
      engine: { backend: 'wasm', instances: 2 },
      warmup: { requests: 10, durationMs: 500 },
      measure: { requests: 100, durationMs: 2000, maxDurationMs: 60_000 },
      budget: { p95Ms: 2000, p99Ms: 4500, maxErrorRate: 0.005 },
    });
    expect(workload.stages).toEqual([
      { stage: 'pipeline', mode: 'dynamic', batchSizes: [1, 4, 16], concurrency: [12], maxQueueDelayMs: 2, maxNewTokens: 8 },
      { stage: 'classify', mode: 'static', batchSizes: [2, 8], concurrency: 'auto', maxQueueDelayMs: 0, maxNewTokens: 16 },
    ]);
  });

  it('an empty file is the all-defaults workload: every stage, the built-in corpus', () => {
    const workload = parseWorkload('# nothing set\n', 'w/empty.yaml', '/base');
    expect(workload.name).toBe('empty');
    expect(workload.stages.map((s) => s.stage)).toEqual(['classify', 'generate', 'pipeline']);
    expect(workload.stages.map((s) => s.batchSizes)).toEqual([
      [1, 2, 4, 8, 16, 32],
      [1, 4, 16],
      [1, 4, 16],
    ]);
    expect(workload.corpus.path).toBe(BUILTIN_CORPUS_PATH);
  });

  it('a measure with only a duration gets a hard limit of 3x (at least 30 s); only requests, 120 s', () => {
    const byTime = parseWorkload('measure: { duration: 20s }', 'x.yaml', '/');
    expect(byTime.measure).toEqual({ durationMs: 20_000, maxDurationMs: 60_000 });
    const byCount = parseWorkload('measure: { requests: 50 }', 'x.yaml', '/');
    expect(byCount.measure).toEqual({ requests: 50, maxDurationMs: 120_000 });
  });

  it('accepts plain numbers for durations (ms) and ratios', () => {
    const w = parseWorkload('budget: { p95: 2500, p99: 4000.5, maxErrorRate: 0.02 }\nwarmup: { duration: 1.5m }', 'x.yaml', '/');
    expect(w.budget).toEqual({ p95Ms: 2500, p99Ms: 4000.5, maxErrorRate: 0.02 });
    expect(w.warmup).toEqual({ durationMs: 90_000 });
  });
});

describe('formatFieldPath', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(formatFieldPath(['stages', 0, 'batchSizes', 2])).toBe('stages[0].batchSizes[2]');
    expect(formatFieldPath(['measure'])).toBe('measure');
    expect(formatFieldPath([])).toBe('(top level)');
  });
});
