/**
 * The YAML form of a workload (workloads/README.md documents every field). Objects are strict, so a
 * misspelt key is an error, not a silently ignored setting. Every message reads "expected X, got Y";
 * load.ts turns the first issue into one InputError naming the file and the field path.
 * Defaults are not applied here (resolve.ts does that), so the parsed form says what the file said.
 */
import { z } from 'zod';
import { STAGES } from '../core/stage.js';
import { MODEL_SIZES, type BackendChoice, type BatchMode } from '../core/workload.js';
import { LoadYamlSchema, TargetYamlSchema } from './target-schema.js';
import { MAX_REPEAT, MAX_STABILITY_WINDOWS } from './signoff.js';
import { choice, durationMs, expected, intBetween, ratio, strictObject, text } from './schema-kit.js';
import { checkScenarioWorkload, scenarioYamlSchema } from './scenario-schema.js';
import { checkServerWorkload, ServerYamlSchema } from './server-schema.js';

export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];
export const BATCH_MODES = ['dynamic', 'static'] as const satisfies readonly BatchMode[];
export const BUILTIN_CLASSIFIERS = ['intent-classifier'] as const;
export const BUILTIN_GENERATORS = ['prompt-generator'] as const;

export const LIMITS = {
  maxBatchSize: 4096,
  maxInstances: 64,
  maxNewTokens: 1024,
  maxConcurrency: 1_000_000,
  maxRequests: 1_000_000_000,
  maxWindows: 10_000,
  maxSeed: 2 ** 32 - 1,
} as const;

/** A built-in model name, or a folder path (contains "/" or starts with "."). */
function modelRef(builtins: readonly string[]) {
  const what = `${builtins.map((b) => `"${b}"`).join(' or ')} (built-in) or a model folder path containing "/" or starting with "."`;
  return text(what).refine((value) => isModelPath(value) || builtins.includes(value), { error: expected(what) });
}

export function isModelPath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.startsWith('.');
}

const batchSizeError = expected(`a positive integer up to ${LIMITS.maxBatchSize}`);

export const BatchSizesSchema = z
  .array(
    z
      .number({ error: batchSizeError })
      .int({ error: batchSizeError })
      .min(1, { error: batchSizeError })
      .max(LIMITS.maxBatchSize, { error: batchSizeError }),
    {
      error: expected('a list of batch sizes such as [1, 4, 16]'),
    },
  )
  .min(1, { error: expected('at least one batch size') })
  .superRefine((sizes, ctx) => {
    const firstIndex = new Map<number, number>();
    sizes.forEach((size, index) => {
      const earlier = firstIndex.get(size);
      if (earlier === undefined) firstIndex.set(size, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index],
          input: size,
          message: `expected unique batch sizes, got ${size} again (already at index ${earlier})`,
        });
    });
  })
  // Steps run in ascending batch size whatever order the file lists them in.
  .transform((sizes) => [...sizes].sort((a, b) => a - b));

const CONCURRENCY_LEVEL = `an integer from 1 to ${LIMITS.maxConcurrency}`;

function isConcurrencyLevel(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= LIMITS.maxConcurrency;
}

/**
 * "auto", one level (8) or a list of levels ([1, 4, 16]), one step each, run in ascending order.
 * Checked by hand so an error inside the list names its index.
 */
const concurrency = z.unknown().transform((raw, ctx): 'auto' | number[] => {
  if (raw === 'auto') return 'auto';
  if (isConcurrencyLevel(raw)) return [raw];
  if (!Array.isArray(raw)) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: expected(`"auto", ${CONCURRENCY_LEVEL} or a list of them such as [1, 4, 16]`)({ input: raw }),
    });
    return z.NEVER;
  }
  if (raw.length === 0) {
    ctx.issues.push({ code: 'custom', input: raw, message: 'expected at least one concurrency level, got an empty list' });
    return z.NEVER;
  }
  const firstIndex = new Map<number, number>();
  for (const [index, level] of raw.entries()) {
    const earlier = isConcurrencyLevel(level) ? firstIndex.get(level) : undefined;
    const message = !isConcurrencyLevel(level)
      ? expected(CONCURRENCY_LEVEL)({ input: level })
      : earlier !== undefined
        ? `expected unique concurrency levels, got ${level} again (already at index ${earlier})`
        : undefined;
    if (message !== undefined) {
      ctx.issues.push({ code: 'custom', path: [index], input: level, message });
      return z.NEVER;
    }
    firstIndex.set(level as number, index);
  }
  return [...(raw as number[])].sort((a, b) => a - b);
});

const TOKEN_STAGES: readonly string[] = ['generate', 'pipeline'];

export const StageYamlSchema = strictObject({
  stage: choice(STAGES),
  mode: choice(BATCH_MODES).optional(),
  batchSizes: BatchSizesSchema.optional(),
  maxQueueDelay: durationMs({ allowZero: true }).optional(),
  concurrency: concurrency.optional(),
  maxNewTokens: intBetween(1, LIMITS.maxNewTokens).optional(),
}).superRefine((stage, ctx) => {
  if (stage.maxNewTokens !== undefined && !TOKEN_STAGES.includes(stage.stage)) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxNewTokens'],
      input: stage.maxNewTokens,
      message: `expected no maxNewTokens on the ${stage.stage} stage (it applies to generate and pipeline), got ${stage.maxNewTokens}`,
    });
  }
});

const stages = z
  .array(StageYamlSchema, { error: expected('a list of stages such as [{ stage: classify, batchSizes: [1, 8] }]') })
  .min(1, { error: expected('at least one stage') })
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((entry, index) => {
      const earlier = seen.get(entry.stage);
      if (earlier === undefined) seen.set(entry.stage, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index, 'stage'],
          input: entry.stage,
          message: `expected each stage at most once, got "${entry.stage}" again (already stages[${earlier}])`,
        });
    });
  });

const measure = strictObject({
  requests: intBetween(1, LIMITS.maxRequests).optional(),
  duration: durationMs().optional(),
  maxDuration: durationMs().optional(),
  precision: ratio()
    .refine((value) => value > 0 && value < 1, { error: expected('a precision above 0 % and below 100 % such as "5%"') })
    .optional(),
  maxWindows: intBetween(1, LIMITS.maxWindows).optional(),
  maxSweepDuration: durationMs().optional(),
}).superRefine((value, ctx) => {
  if (value.maxWindows !== undefined && value.precision === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxWindows'],
      input: value.maxWindows,
      message: 'expected precision beside it (maxWindows caps an adaptive step), got no precision',
    });
  }
  if (value.requests === undefined && value.duration === undefined && value.precision === undefined) {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: 'expected requests, duration or precision (requests and duration: the first reached ends measurement), got none',
    });
  } else if (value.maxDuration !== undefined && value.duration !== undefined && value.maxDuration < value.duration) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxDuration'],
      input: value.maxDuration,
      message: `expected maxDuration >= duration (${value.duration} ms), got ${value.maxDuration} ms`,
    });
  }
});

/**
 * `load:` without target-schema's rule that open arrivals need `rates`: a scenario's stage targets
 * are its rates. The workload's superRefine applies the full LoadYamlSchema to sweeps.
 */
const load = strictObject(LoadYamlSchema.shape);

/** `stability: false`, or its settings (each optional; defaults in signoff.ts). */
const stability = z.union(
  [
    z.literal(false),
    strictObject({
      windows: intBetween(2, MAX_STABILITY_WINDOWS).optional(),
      tolerance: ratio()
        .refine((value) => value > 0, { error: expected('a tolerance above 0 such as "10%"') })
        .optional(),
      maxExtend: durationMs({ allowZero: true }).optional(),
    }),
  ],
  { error: expected('false or a mapping such as { windows: 3, tolerance: 10%, maxExtend: 30s }') },
);

export const WorkloadYamlSchema = strictObject({
  name: text('a non-empty name').optional(),
  description: z.string({ error: expected('a string') }).optional(),
  seed: intBetween(0, LIMITS.maxSeed).optional(),
  corpus: strictObject({
    path: text('a path to a JSONL prompt file').optional(),
    uniqueTexts: z.boolean({ error: expected('true or false') }).optional(),
  }).optional(),
  models: strictObject({
    classifier: modelRef(BUILTIN_CLASSIFIERS).optional(),
    generator: modelRef(BUILTIN_GENERATORS).optional(),
    size: choice(MODEL_SIZES).optional(),
  }).optional(),
  engine: strictObject({
    backend: choice(BACKENDS).optional(),
    instances: intBetween(1, LIMITS.maxInstances).optional(),
  }).optional(),
  warmup: strictObject({
    requests: intBetween(0, LIMITS.maxRequests).optional(),
    duration: durationMs().optional(),
  }).optional(),
  measure: measure.optional(),
  budget: strictObject({
    p95: durationMs().optional(),
    p99: durationMs().optional(),
    maxErrorRate: ratio().optional(),
  }).optional(),
  target: TargetYamlSchema.optional(),
  load: load.optional(),
  stages: stages.optional(),
  scenario: scenarioYamlSchema(LIMITS).optional(),
  stability: stability.optional(),
  repeat: intBetween(1, MAX_REPEAT).optional(),
  search: z.boolean({ error: expected('true or false') }).optional(),
  server: ServerYamlSchema.optional(),
}).superRefine((workload, ctx) => {
  if (workload.server !== undefined) checkServerWorkload(workload, ctx);
  if (workload.scenario !== undefined) {
    for (const issue of checkScenarioWorkload({ ...workload, scenario: workload.scenario }, LIMITS)) {
      ctx.addIssue({ code: 'custom', path: [...issue.path], input: issue.input, message: issue.message });
    }
    return;
  }
  if (workload.load !== undefined) {
    const checked = LoadYamlSchema.safeParse(workload.load);
    if (!checked.success) {
      for (const issue of checked.error.issues)
        ctx.addIssue({ code: 'custom', path: ['load', ...issue.path], input: undefined, message: issue.message });
    }
  }
  if (workload.search === true && (workload.repeat ?? 1) > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['repeat'],
      input: workload.repeat,
      message: `expected 1 (or no repeat) with search: true, got ${workload.repeat}`,
    });
  }
  const openLoop = workload.load !== undefined && (workload.load.arrivals ?? (workload.load.rates ? 'constant' : 'closed')) !== 'closed';
  (workload.stages ?? []).forEach((stage, index) => {
    if (workload.target !== undefined && stage.mode === 'static') {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', index, 'mode'],
        input: stage.mode,
        message:
          'expected dynamic (or no mode) with an HTTP target: static is an in-process batcher setting; batchSizes are texts per request here',
      });
    }
    if (openLoop && stage.concurrency !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', index, 'concurrency'],
        input: stage.concurrency,
        message: 'expected no concurrency with open-loop load (load.rates sets the load; load.maxInFlight caps it)',
      });
    }
  });
});

/** A workload as the file wrote it, units converted (durations in ms, ratios 0..1), defaults not yet applied. */
export type WorkloadYaml = z.output<typeof WorkloadYamlSchema>;
export type StageYaml = z.output<typeof StageYamlSchema>;
