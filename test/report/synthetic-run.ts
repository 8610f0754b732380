/**
 * A run built from synthetic items through the real recorder and report builder: a classify curve
 * that scales linearly to batch 4 then breaks the p95 budget at 8, and a generate stage with a
 * failing step and an incomplete one.
 */
import { StepRecorder } from '../../src/metrics/recorder.js';
import type { StepMeasurement } from '../../src/core/measurement.js';
import { buildRunReport, buildStepReport, type RunReportParts } from '../../src/analysis/analyze-run.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { StepReport } from '../../src/core/report/step.js';
import type { EnvironmentReport } from '../../src/core/report/environment.js';
import type { ItemResult } from '../../src/core/item-result.js';
import type { Stage } from '../../src/core/stage.js';
import type { Step, Workload } from '../../src/core/workload.js';

const T0 = 1_750_000_000_000;

export const budget = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 };

export const workload: Workload = {
  name: 'synthetic',
  description: 'synthetic steps for report tests',
  source: '<defaults>',
  seed: 1,
  corpus: { path: '/nowhere/prompts.jsonl', uniqueTexts: true },
  models: { classifier: { builtin: 'intent-classifier' }, generator: { builtin: 'prompt-generator' }, size: 'small' },
  engine: { backend: 'wasm', instances: 1 },
  target: { kind: 'inprocess' },
  load: { kind: 'closed' },
  stages: [],
  warmup: { requests: 10 },
  measure: { durationMs: 1000, maxDurationMs: 5000 },
  budget,
};

export const environment: EnvironmentReport = {
  node: 'v20.19.0',
  platform: 'linux',
  arch: 'x64',
  hostname: 'bench-host',
  cpu: { model: 'Test CPU', cores: 2, physicalCores: 1, speedGHz: 2.5 },
  memTotalBytes: 8 * 1024 ** 3,
  os: { distro: 'Debian', release: '12', kernel: '6.1.0' },
  gitCommit: 'abc1234',
  pipebenchVersion: '0.1.0',
};

function step(index: number, stage: Stage, batchSize: number): Step {
  return {
    index,
    stage,
    mode: 'dynamic',
    batchSize,
    concurrency: 2 * batchSize,
    arrivals: null,
    maxQueueDelayMs: 5,
    maxNewTokens: 64,
    warmup: { requests: 10 },
    measure: { durationMs: 1000, maxDurationMs: 5000 },
  };
}

/** `count` items of equal e2e, first arrival at 0 and last response at `spanMs`: count / span items/s. */
function measure(count: number, e2eMs: number, extra: Partial<ItemResult> = {}, failures = 0, spanMs = 1000): StepMeasurement {
  const recorder = new StepRecorder({ clock: () => T0 });
  const spacingMs = count > 1 ? (spanMs - e2eMs) / (count - 1) : 0;
  for (let i = 0; i < count; i++) {
    const tArrivalMs = T0 + i * spacingMs;
    recorder.record({
      ok: i >= failures,
      ...(i < failures ? { errorClass: 'timeout' } : {}),
      tArrivalMs,
      tResponseMs: tArrivalMs + e2eMs,
      queueMs: e2eMs * 0.25,
      inferenceMs: e2eMs * 0.75,
      batchSize: 1,
      ...extra,
    });
  }
  return recorder.finish();
}

export function syntheticSteps(): StepReport[] {
  const gen = (ttftMs: number) => ({ ttftMs, itlMs: 7, outputTokens: 64 });
  return [
    buildStepReport(step(0, 'classify', 1), measure(100, 5), budget, true),
    buildStepReport(step(1, 'classify', 2), measure(200, 6), budget, true),
    buildStepReport(step(2, 'classify', 4), measure(400, 8), budget, true),
    buildStepReport(step(3, 'classify', 8), measure(4200, 4000, {}, 0, 10_000), budget, true),
    buildStepReport(step(4, 'generate', 1), measure(10, 500, gen(50)), budget, true),
    buildStepReport(step(5, 'generate', 2), measure(19, 600, gen(60), 1), budget, true),
    buildStepReport(step(6, 'generate', 4), measure(3, 700, gen(70)), budget, false),
  ];
}

export function syntheticReport(overrides: { partial?: boolean } = {}): RunReport {
  return buildRunReport(syntheticParts(overrides));
}

/** The parts syntheticReport builds from, for tests that add budgets, alert rules, search or steps. */
export function syntheticParts(overrides: { partial?: boolean } = {}): RunReportParts {
  return {
    runId: '2026-01-01T00-00-00Z-synthetic',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    partial: overrides.partial ?? false,
    interruptedBy: overrides.partial ? 'SIGINT' : null,
    environment,
    target: { kind: 'inprocess', description: 'in process (wasm)', url: null, protocol: null },
    backend: {
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      version: '4.22.0',
      threads: 1,
      simd: true,
      gpu: false,
      skipped: [{ backend: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' }],
      instances: 1,
      isolation: 'worker',
    },
    models: [
      {
        name: 'intent-classifier',
        task: 'classify',
        version: '1',
        format: 'layers',
        size: 'small',
        parameters: 1_400_000,
        maxSequenceLength: 64,
        dir: '/models/intent-classifier',
      },
    ],
    workload,
    steps: syntheticSteps(),
    warnings: ['the sampler could not start: nvidia-smi not found'],
  };
}
