/**
 * The YAML form of a workload (workloads/README.md documents every field). Objects are strict, so a
 * misspelt key is an error, not a silently ignored setting. Every message reads "expected X, got Y";
 * load.ts turns the first issue into one InputError naming the file and the field path.
 * Defaults are not applied here (resolve.ts does that), so the parsed form says what the file said.
 */
import { z } from 'zod';
import { STAGES } from '../targets/target.js';
import type { BackendChoice, BatchMode, ModelSize } from './types.js';
import { describeValue, parseDurationMs, parseRatio } from './units.js';

export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];
export const BATCH_MODES = ['dynamic', 'static'] as const satisfies readonly BatchMode[];
export const MODEL_SIZES = ['small', 'base'] as const satisfies readonly ModelSize[];
export const BUILTIN_CLASSIFIERS = ['intent-classifier'] as const;
export const BUILTIN_GENERATORS = ['prompt-generator'] as const;

export const LIMITS = {
  maxBatchSize: 4096,
  maxInstances: 64,
  maxNewTokens: 1024,
  maxConcurrency: 1_000_000,
  maxRequests: 1_000_000_000,
  maxSeed: 2 ** 32 - 1,
} as const;

type Expectation = (issue: { readonly input?: unknown }) => string;

/** The message maker every schema below uses, so all errors read alike. */
export function expected(what: string): Expectation {
  return (issue) => `expected ${what}, got ${describeValue(issue.input)}`;
}

export function intBetween(min: number, max: number, what = `an integer from ${min} to ${max}`) {
  const error = expected(what);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A number-or-string field checked by `accept`, which returns the value in internal units or undefined. */
function scalar<T>(what: string, accept: (raw: number | string) => T | undefined) {
  const error = expected(what);
  return z.union([z.number(), z.string()], { error }).transform((raw, ctx) => {
    const value = accept(raw);
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message: error({ input: raw }), input: raw });
      return z.NEVER;
    }
    return value;
  });
}

const DURATION_EXAMPLES = '"500ms", "10s" or "2m" (a bare number means ms)';

export function durationMs(options: { readonly allowZero?: boolean } = {}) {
  const what = options.allowZero ? `a duration >= 0 such as ${DURATION_EXAMPLES}` : `a positive duration such as ${DURATION_EXAMPLES}`;
  return scalar(what, (raw) => {
    const ms = parseDurationMs(raw);
    return ms !== undefined && (ms > 0 || (options.allowZero === true && ms === 0)) ? ms : undefined;
  });
}

export function ratio() {
  return scalar('a ratio from 0 to 1 such as 0.01, or a percentage from 0% to 100% such as "1%"', (raw) => {
    const value = parseRatio(raw);
    return value !== undefined && value >= 0 && value <= 1 ? value : undefined;
  });
}

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expected(`one of ${values.join(', ')}`) });
}

/** A strict object whose unknown-key message lists the allowed keys. */
function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  const wrongType = expected(`a mapping with keys ${allowed}`);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed})`
        : wrongType(issue),
  });
}

const text = (what: string) => {
  const error = expected(what);
  return z.string({ error }).min(1, { error });
};

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
  .array(z.number({ error: batchSizeError }).int({ error: batchSizeError }).min(1, { error: batchSizeError }).max(LIMITS.maxBatchSize, { error: batchSizeError }), {
    error: expected('a list of batch sizes such as [1, 4, 16]'),
  })
  .min(1, { error: expected('at least one batch size') })
  .superRefine((sizes, ctx) => {
    const firstIndex = new Map<number, number>();
    sizes.forEach((size, index) => {
      const earlier = firstIndex.get(size);
      if (earlier === undefined) firstIndex.set(size, index);
      else ctx.addIssue({ code: 'custom', path: [index], input: size, message: `expected unique batch sizes, got ${size} again (already at index ${earlier})` });
    });
  })
  // Steps run in ascending batch size whatever order the file lists them in.
  .transform((sizes) => [...sizes].sort((a, b) => a - b));

const concurrencyLevelError = expected(`an integer from 1 to ${LIMITS.maxConcurrency}`);
const concurrencyLevel = z
  .number({ error: concurrencyLevelError })
  .int({ error: concurrencyLevelError })
  .min(1, { error: concurrencyLevelError })
  .max(LIMITS.maxConcurrency, { error: concurrencyLevelError });

/** Ascending, unique: one step per entry, in the order they will run. */
function ascendingUnique(what: string) {
  return (values: readonly number[], ctx: z.RefinementCtx): void => {
    const seen = new Map<number, number>();
    values.forEach((value, index) => {
      const earlier = seen.get(value);
      if (earlier === undefined) seen.set(value, index);
      else ctx.addIssue({ code: 'custom', path: [index], input: value, message: `expected unique ${what}, got ${value} again (already at index ${earlier})` });
    });
  };
}

/** "auto", one level (8) or a list of levels ([1, 4, 16]), one step each. */
const concurrency = z
  .union(
    [
      z.literal('auto'),
      concurrencyLevel.transform((level) => [level]),
      z
        .array(concurrencyLevel, { error: concurrencyLevelError })
        .min(1, { error: expected('at least one concurrency level') })
        .superRefine(ascendingUnique('concurrency levels'))
        .transform((levels) => [...levels].sort((a, b) => a - b)),
    ],
    { error: expected(`"auto", an integer from 1 to ${LIMITS.maxConcurrency} or a list of them such as [1, 4, 16]`) },
  );

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
      else ctx.addIssue({ code: 'custom', path: [index, 'stage'], input: entry.stage, message: `expected each stage at most once, got "${entry.stage}" again (already stages[${earlier}])` });
    });
  });

const measure = strictObject({
  requests: intBetween(1, LIMITS.maxRequests).optional(),
  duration: durationMs().optional(),
  maxDuration: durationMs().optional(),
}).superRefine((value, ctx) => {
  if (value.requests === undefined && value.duration === undefined) {
    ctx.addIssue({ code: 'custom', input: value, message: 'expected requests or duration (or both; the first reached ends measurement), got neither' });
  } else if (value.maxDuration !== undefined && value.duration !== undefined && value.maxDuration < value.duration) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxDuration'],
      input: value.maxDuration,
      message: `expected maxDuration >= duration (${value.duration} ms), got ${value.maxDuration} ms`,
    });
  }
});

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
  stages: stages.optional(),
});

/** A workload as the file wrote it, units converted (durations in ms, ratios 0..1), defaults not yet applied. */
export type WorkloadYaml = z.output<typeof WorkloadYamlSchema>;
export type StageYaml = z.output<typeof StageYamlSchema>;
