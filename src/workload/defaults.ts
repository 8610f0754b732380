/** What a workload gets for every field its YAML leaves out (workloads/README.md lists the same). */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Stage } from '../core/stage.js';
import type { BackendChoice, BatchMode, Budget, ModelSize, PhaseLength, ProtocolName } from '../core/workload.js';

/** The prompt corpus shipped with pipebench, used when a workload names none. */
export const BUILTIN_CORPUS_PATH = join(PACKAGE_ROOT, 'workloads', 'corpus', 'prompts.jsonl');

export const DEFAULT_BATCH_SIZES = {
  classify: [1, 2, 4, 8, 16, 32],
  generate: [1, 4, 16],
  pipeline: [1, 4, 16],
} as const satisfies Record<Stage, readonly number[]>;

export const DEFAULTS = {
  seed: 1,
  uniqueTexts: false,
  classifier: 'intent-classifier',
  generator: 'prompt-generator',
  modelSize: 'small' as ModelSize,
  backend: 'auto' as BackendChoice,
  instances: 1,
  warmup: { requests: 16 } satisfies PhaseLength,
  measure: { requests: 200, durationMs: 10_000, maxDurationMs: 30_000 },
  budget: { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 } satisfies Budget,
  mode: 'dynamic' as BatchMode,
  maxQueueDelayMs: 2,
  concurrency: 'auto' as const,
  maxNewTokens: 16,
} as const;

/** A stage's generation length when the workload sets none: in process the models need one; HTTP sends none (null). */
export function defaultMaxNewTokens(http: boolean): number | null {
  return http ? null : DEFAULTS.maxNewTokens;
}

const ADAPTIVE_TIME_CAP_MS = 30_000;

/**
 * The hard limit on one step's measurement when the file sets none: three times the duration (at
 * least 30 s), or 120 s for a count-only measurement. It stops a step whose target stalls. An
 * adaptive step (measure.precision) without a duration gets 30 s: there it is the step's time cap.
 */
export function defaultMaxDurationMs(durationMs: number | undefined, adaptive = false): number {
  if (durationMs === undefined) return adaptive ? ADAPTIVE_TIME_CAP_MS : 120_000;
  return Math.max(30_000, 3 * durationMs);
}

/** What an HTTP target gets for every field its YAML leaves out (workloads/README.md lists the same). */
export const HTTP_DEFAULTS = {
  protocol: 'betterprompts' as ProtocolName,
  pipelining: 1,
  timeouts: { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 },
  maxResponseBytes: 16 * 1024 ** 2,
  /** One text per request unless the file asks for client-side batches. */
  batchSizes: [1] as readonly number[],
  /** The BetterPrompts services cache on the exact text: repeated texts would measure the cache. */
  uniqueTexts: true,
  /**
   * Health routes tried in turn when the workload names none: the protocol's own first, then the
   * usual ones (the BetterPrompts prompt generator serves only /health/; TorchServe /ping). A
   * template target (any JSON API) gets none.
   */
  healthRoutes: {
    betterprompts: ['/api/v1/health', '/health', '/health/', '/v2/health/ready', '/ping'],
    'kserve-v2': ['/v2/health/ready', '/health', '/health/', '/api/v1/health', '/ping'],
    openai: ['/v1/models', '/health', '/health/', '/api/v1/health', '/v2/health/ready', '/ping'],
    template: [],
  } satisfies Record<ProtocolName, readonly string[]>,
  stageModels: { classify: 'intent-classifier', generate: 'prompt-generator', pipeline: 'enhance' } satisfies Record<Stage, string>,
  /**
   * The stages run when a workload lists none (and by `run --target URL` with no file): an
   * OpenAI-compatible server is a text generator, so only generate; the others serve every stage.
   */
  stages: {
    betterprompts: ['classify', 'generate', 'pipeline'],
    'kserve-v2': ['classify', 'generate', 'pipeline'],
    openai: ['generate'],
    template: ['classify', 'generate', 'pipeline'],
  } satisfies Record<ProtocolName, readonly Stage[]>,
  betterprompts: {
    torchserveModel: 'intent_classifier',
    generate: { intent: 'question_answering', complexity: 'moderate', techniques: ['chain_of_thought'], targetModel: 'gpt-4' },
  },
} as const;
