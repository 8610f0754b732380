/** The YAML form -> a Workload: defaults filled in, paths made absolute. Pure: touches no files. */
import { basename, extname, resolve } from 'node:path';
import type { Stage } from '../core/stage.js';
import {
  BUILTIN_CORPUS_PATH,
  DEFAULT_BATCH_SIZES,
  DEFAULTS,
  defaultMaxDurationMs,
  defaultMaxNewTokens,
  HTTP_DEFAULTS,
} from './defaults.js';
import { resolveHttpTarget, resolveLoad } from './resolve-target.js';
import { resolveServer } from './server-schema.js';
import { isModelPath, type StageYaml, type WorkloadYaml } from './schema.js';
import { withScenario } from './scenario-overrides.js';
import { type ScenarioAsWritten } from '../core/scenario.js';
import { isOpenLoad, SCENARIO_DEFAULTS, type ScenarioYaml } from './scenario-schema.js';
import { DEFAULT_SIGNOFF, DEFAULT_STABILITY, withSignoff, type SignoffWorkload } from './signoff.js';
import { type SignoffSettings } from '../core/workload.js';
import type { LoadSpec, ModelRef, PhaseLength, StageSpec, TargetSpec, Workload } from '../core/workload.js';

const ALL_STAGES: readonly StageYaml[] = (Object.keys(DEFAULT_BATCH_SIZES) as Stage[]).map((stage) => ({ stage }));

export function resolveWorkload(yaml: WorkloadYaml, source: string, baseDir: string): SignoffWorkload {
  const target: TargetSpec = yaml.target === undefined ? { kind: 'inprocess' } : resolveHttpTarget(yaml.target);
  const http = target.kind === 'http';
  const workload: Workload = {
    name: yaml.name ?? (basename(source, extname(source)) || 'workload'),
    description: yaml.description ?? '',
    source,
    seed: yaml.seed ?? DEFAULTS.seed,
    corpus: {
      path: yaml.corpus?.path === undefined ? BUILTIN_CORPUS_PATH : resolve(baseDir, yaml.corpus.path),
      uniqueTexts: yaml.corpus?.uniqueTexts ?? (http ? HTTP_DEFAULTS.uniqueTexts : DEFAULTS.uniqueTexts),
    },
    models: {
      classifier: modelRef(yaml.models?.classifier ?? DEFAULTS.classifier, baseDir),
      generator: modelRef(yaml.models?.generator ?? DEFAULTS.generator, baseDir),
      size: yaml.models?.size ?? DEFAULTS.modelSize,
    },
    engine: {
      backend: yaml.engine?.backend ?? DEFAULTS.backend,
      instances: yaml.engine?.instances ?? DEFAULTS.instances,
    },
    target,
    load: resolveLoad(yaml.load),
    stages: (yaml.stages ?? (http ? HTTP_DEFAULTS.stages[target.protocol].map((stage) => ({ stage })) : ALL_STAGES)).map((stage) =>
      stageSpec(stage, http),
    ),
    warmup: yaml.warmup ? phase(yaml.warmup.requests, yaml.warmup.duration) : DEFAULTS.warmup,
    measure: yaml.measure
      ? {
          ...phase(yaml.measure.requests, yaml.measure.duration),
          maxDurationMs: yaml.measure.maxDuration ?? defaultMaxDurationMs(yaml.measure.duration, yaml.measure.precision !== undefined),
          ...(yaml.measure.precision !== undefined && { precision: yaml.measure.precision }),
          ...(yaml.measure.maxWindows !== undefined && { maxWindows: yaml.measure.maxWindows }),
          ...(yaml.measure.maxSweepDuration !== undefined && { maxSweepDurationMs: yaml.measure.maxSweepDuration }),
        }
      : DEFAULTS.measure,
    budget: {
      p95Ms: yaml.budget?.p95 ?? DEFAULTS.budget.p95Ms,
      p99Ms: yaml.budget?.p99 ?? DEFAULTS.budget.p99Ms,
      maxErrorRate: yaml.budget?.maxErrorRate ?? DEFAULTS.budget.maxErrorRate,
    },
    ...(yaml.server && { server: resolveServer(yaml.server) }),
    ...(yaml.load?.workers !== undefined && { workers: yaml.load.workers }),
  };
  if (yaml.scenario === undefined) return withSignoff(workload, signoff(yaml));
  const open = isOpenLoad(yaml.load);
  const written = scenarioAsWritten(yaml.scenario, open, http);
  // The sweep's load has no rates to go by; withScenario lists the scenario's levels as the rates.
  const arrivals = yaml.load?.arrivals;
  const load: LoadSpec =
    arrivals === 'constant' || arrivals === 'poisson'
      ? { kind: 'open', arrivals, ratesPerSec: [], maxInFlight: yaml.load?.maxInFlight ?? null }
      : { kind: 'closed' };
  const scenarioWorkload = withScenario({ ...workload, load }, written, written, 'scenario.loadScale');
  // Scenario stages run back to back for their set durations: never extended to settle, not repeated.
  return withSignoff(scenarioWorkload, { stability: null, repeat: 1, search: false });
}

function scenarioAsWritten(yaml: ScenarioYaml, open: boolean, http: boolean): ScenarioAsWritten {
  return {
    kind: yaml.kind,
    axis: open ? 'rate' : 'concurrency',
    stage: yaml.stage,
    batchSize: yaml.batchSize ?? (http ? SCENARIO_DEFAULTS.httpBatchSize : SCENARIO_DEFAULTS.batchSize),
    stages: yaml.stages.map((stage) => ({ name: stage.name, durationMs: stage.duration, target: stage.target })),
    timeScale: yaml.timeScale ?? SCENARIO_DEFAULTS.timeScale,
    loadScale: yaml.loadScale ?? SCENARIO_DEFAULTS.loadScale,
    windowMs: yaml.window ?? SCENARIO_DEFAULTS.windowMs,
    recoveryTargetMs: yaml.recoveryTarget ?? SCENARIO_DEFAULTS.recoveryTargetMs,
    stopAfterBreak:
      yaml.kind === 'stress' ? (yaml.stopAfterBreak === undefined ? SCENARIO_DEFAULTS.stopAfterBreak : yaml.stopAfterBreak) : null,
  };
}

function signoff(yaml: WorkloadYaml): SignoffSettings {
  const stability =
    yaml.stability === false
      ? null
      : {
          windows: yaml.stability?.windows ?? DEFAULT_STABILITY.windows,
          tolerance: yaml.stability?.tolerance ?? DEFAULT_STABILITY.tolerance,
          maxExtendMs: yaml.stability?.maxExtend ?? DEFAULT_STABILITY.maxExtendMs,
        };
  return { stability, repeat: yaml.repeat ?? DEFAULT_SIGNOFF.repeat, search: yaml.search ?? DEFAULT_SIGNOFF.search };
}

function stageSpec(stage: StageYaml, http: boolean): StageSpec {
  return {
    stage: stage.stage,
    mode: stage.mode ?? DEFAULTS.mode,
    batchSizes: stage.batchSizes ?? (http ? HTTP_DEFAULTS.batchSizes : DEFAULT_BATCH_SIZES[stage.stage]),
    concurrency: stage.concurrency ?? DEFAULTS.concurrency,
    maxQueueDelayMs: stage.maxQueueDelay ?? DEFAULTS.maxQueueDelayMs,
    maxNewTokens: stage.maxNewTokens ?? defaultMaxNewTokens(http),
  };
}

function modelRef(value: string, baseDir: string): ModelRef {
  return isModelPath(value) ? { dir: resolve(baseDir, value) } : { builtin: value };
}

/** Only the lengths the file gave: an absent field must stay absent (it means "no limit of this kind"). */
function phase(requests: number | undefined, durationMs: number | undefined): PhaseLength {
  return {
    ...(requests !== undefined && { requests }),
    ...(durationMs !== undefined && { durationMs }),
  };
}
