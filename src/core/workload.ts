/**
 * A workload after validation: every field resolved, units in names, paths absolute.
 * The YAML form (workloads/*.yaml) is documented in workloads/README.md and validated by workload/schema.ts.
 */
import type { Stage } from './stage.js';
import type { ScenarioAsWritten, ScenarioSpec } from './scenario.js';
import type { ServerParams, ServerSpec } from './server-config.js';

export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BatchMode = 'dynamic' | 'static';
export type ModelSize = 'small' | 'base';
export const MODEL_SIZES = ['small', 'base'] as const satisfies readonly ModelSize[];

/** A model: a built-in by name ("intent-classifier") or a folder with a manifest.json. */
export interface ModelRef {
  readonly builtin?: string;
  readonly dir?: string;
}

/** Warm-up or measurement length: by item count, by duration, or both (first reached ends it). */
export interface PhaseLength {
  readonly requests?: number;
  readonly durationMs?: number;
}

/**
 * A step's measurement. Fixed plan (no precision): its count and/or duration, then the stability
 * extension. Adaptive (precision): it measures until its e2e p95 interval is within +-precision and
 * its windows settle; requests/duration, when given, are the least it measures first. maxDurationMs
 * is the hard limit either way (an adaptive step's time cap).
 */
export interface MeasureSpec extends PhaseLength {
  readonly maxDurationMs: number;
  /** Half-width of the e2e p95 interval, as a fraction of the p95 (0.05: +-5 %); absent: a fixed plan. */
  readonly precision?: number;
  /** Adaptive steps: the most closed windows (each >= 1 s, ~20 model calls) a step measures; absent: none. */
  readonly maxWindows?: number;
  /** The whole sweep's time cap, shared over its steps (runner/sweep-budget.ts); absent: none. */
  readonly maxSweepDurationMs?: number;
}

export interface StageSpec {
  readonly stage: Stage;
  readonly mode: BatchMode;
  /**
   * In process: the model-call size (dynamic: the batcher's maximum; static: exact).
   * HTTP: items per request (client-side batching; > 1 needs the protocol's batch form).
   */
  readonly batchSizes: readonly number[];
  /**
   * Closed-loop load levels, one step each. "auto" (in process) = 2 x batch size x instances, so
   * one batch fills while one runs; for HTTP targets "auto" means 1 request in flight.
   */
  readonly concurrency: 'auto' | readonly number[];
  readonly maxQueueDelayMs: number;
  /**
   * Tokens generated per item. null (HTTP targets only) = not set in the workload or by a flag: the
   * request carries no max_tokens and the server's own default length applies.
   */
  readonly maxNewTokens: number | null;
}

export interface Budget {
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxErrorRate: number; // 0..1
}

export type ArrivalProcess = 'constant' | 'poisson';

/**
 * How load is offered. Closed: each stage's concurrency levels. Open: requests (each carrying
 * `batchSize` items) are sent on a schedule at each rate, whatever the target does; latency counts
 * from the scheduled send, so client-side queueing shows (no coordinated omission).
 */
export type LoadSpec =
  | { readonly kind: 'closed' }
  | {
      readonly kind: 'open';
      readonly arrivals: ArrivalProcess;
      /** One step per rate, in requests per second, ascending. */
      readonly ratesPerSec: readonly number[];
      /** Cap on requests in flight; a due send waits for a slot (and counts as late). null = no cap. */
      readonly maxInFlight: number | null;
    };

export type ProtocolName = 'betterprompts' | 'kserve-v2' | 'openai' | 'template';
export const PROTOCOL_NAMES = ['betterprompts', 'kserve-v2', 'openai', 'template'] as const satisfies readonly ProtocolName[];

/** A header value written in the workload, or read from an environment variable at run time. */
export type HeaderValue = { readonly value: string } | { readonly env: string };

/** Where a bearer token comes from. Only variable names live here; values never reach a report. */
export type AuthSpec =
  | { readonly kind: 'bearer-env'; readonly tokenEnv: string }
  | {
      readonly kind: 'login';
      /** A path on the target's origin or a full URL; BetterPrompts: /api/v1/auth/login. */
      readonly url: string;
      readonly usernameEnv: string;
      readonly passwordEnv: string;
    };

/** Per-protocol settings, resolved with their defaults. */
export type ProtocolOptions =
  | {
      readonly protocol: 'betterprompts';
      /** classify through the intent-classifier service, or TorchServe's /predictions/<model>. */
      readonly classifyApi: 'intents' | 'torchserve';
      readonly torchserveModel: string;
      /** What a generate-stage request says about the text (the generator needs an intent). */
      readonly generate: {
        readonly intent: string;
        readonly complexity: string;
        readonly techniques: readonly string[];
        readonly targetModel: string;
      };
    }
  | {
      readonly protocol: 'kserve-v2';
      /** Model name per stage (POST /v2/models/<name>/infer). */
      readonly models: Readonly<Record<Stage, string>>;
      readonly inputName: string;
      /** Output tensor to read; null = the first output. */
      readonly outputName: string | null;
    }
  | {
      readonly protocol: 'openai';
      /** Model name per stage. */
      readonly models: Readonly<Record<Stage, string>>;
      readonly api: 'completions' | 'chat';
      /** Stream with SSE: gives TTFT and inter-token latency as the tokens arrive. */
      readonly stream: boolean;
    }
  | {
      readonly protocol: 'template';
      readonly method: 'POST' | 'PUT';
      /** JSON body with {{text}} (one JSON string) or {{texts}} (a JSON array of strings) in it. */
      readonly body: string;
      /** Dotted path to the output in the response (e.g. "outputs" or "result.label"); must exist. */
      readonly outputPath: string;
      /** Where the server reports its own processing time, if it does. */
      readonly serverTime: { readonly path: string; readonly unit: 'ms' | 's' } | null;
    };

export interface TimeoutsSpec {
  readonly connectMs: number;
  /** From the request being written until the response headers arrive. */
  readonly headersMs: number;
  /** The whole body, from the headers to its last byte (not only the silence between two chunks). */
  readonly bodyMs: number;
}

/**
 * The health preflight: routes tried in turn before the first step; the first to answer 2xx passes.
 * A route that is not there (404, 405, 501, a redirect) passes to the next; any other failure stops
 * the run. No routes: no check (`health: false`, --no-health, or the template protocol's default).
 */
export interface HealthSpec {
  /** Paths on the target ("/health") or full http(s) URLs. */
  readonly routes: readonly string[];
  /** true: the protocol's default list, derived again when --protocol changes it; false: the workload or --health chose. */
  readonly auto: boolean;
}

export interface HttpTargetSpec {
  readonly kind: 'http';
  /** Base URL: origin plus an optional path prefix; never holds credentials. */
  readonly url: string;
  readonly protocol: ProtocolName;
  /**
   * Per-stage base URL replacing `url` for that stage (BetterPrompts runs each service on its own
   * port); the protocol appends its path. Another origin gets its own connection pool.
   */
  readonly endpoints: Readonly<Partial<Record<Stage, string>>>;
  /** Connections per origin; "auto" = the plan's highest in-flight count. */
  readonly connections: number | 'auto';
  readonly pipelining: number;
  readonly timeouts: TimeoutsSpec;
  /** Retries per request on 429/503 (honouring Retry-After) and connection errors; 0 = none. */
  readonly retries: number;
  /** A response body larger than this fails the item as body_too_large. */
  readonly maxResponseBytes: number;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly auth: AuthSpec | null;
  /** Preflight GETs before the first step. */
  readonly health: HealthSpec;
  readonly options: ProtocolOptions;
  /** The server's own Prometheus metrics scraped during the run; absent: on, the target's /metrics, every 250 ms. */
  readonly serverMetrics?: ServerMetricsSpec;
}

/** Which metrics URLs a run scrapes beside an HTTP target (none given: the target's own /metrics, if it answers Prometheus text). */
export interface ServerMetricsSpec {
  readonly enabled: boolean;
  /** May hold user:password (sent as basic auth; masked in reports and messages). */
  readonly urls: readonly string[];
  readonly intervalMs: number;
}

export type TargetSpec = { readonly kind: 'inprocess' } | HttpTargetSpec;

export interface Workload {
  readonly name: string;
  readonly description: string;
  /** Absolute path of the YAML it came from, or "<defaults>". */
  readonly source: string;
  readonly seed: number;
  readonly corpus: { readonly path: string; readonly uniqueTexts: boolean };
  readonly models: { readonly classifier: ModelRef; readonly generator: ModelRef; readonly size: ModelSize };
  readonly engine: { readonly backend: BackendChoice; readonly instances: number };
  /** In process (models and engine above apply) or an HTTP service. */
  readonly target: TargetSpec;
  readonly load: LoadSpec;
  readonly stages: readonly StageSpec[];
  readonly warmup: PhaseLength;
  readonly measure: MeasureSpec;
  readonly budget: Budget;
  /**
   * A scenario (issue 7): load as stages over time instead of a sweep. Absent = a sweep of
   * `stages` (batch sizes x load levels). Optional so a Workload built without one stays valid.
   */
  readonly scenario?: ScenarioSpec;
  /** A served model whose batching configuration the run sweeps (issue 15); absent: the target is already running. */
  readonly server?: ServerSpec;
  /** How the run earns its numbers (stability windows, repeats, search); absent: the defaults (workload/signoff.ts). */
  readonly signoff?: SignoffSettings;
  /** Scenario workloads: the scenario as its file wrote it, before --time-scale and --load-scale. */
  readonly scenarioAsWritten?: ScenarioAsWritten;
  /** Worker threads an HTTP step's load is split over (load.workers, --workers); absent: 1, the main thread. */
  readonly workers?: WorkerCount;
}

/** A number of load worker threads, or `auto`: cores - 1 (at least 1), capped per step by what it keeps in flight. */
export type WorkerCount = number | 'auto';

/** A scenario step: one of the scenario's load stages (the drive runs them back to back, no drain between). */
export interface StepProfile {
  readonly name: string;
  /** Index among the scenario's stages. */
  readonly stageIndex: number;
  readonly fromLevel: number;
  readonly toLevel: number;
  readonly durationMs: number;
  /** Start of this stage, from the start of the scenario. */
  readonly offsetMs: number;
}

/** An open-loop step's schedule. */
export interface StepArrivals {
  readonly process: ArrivalProcess;
  readonly ratePerSec: number;
  readonly maxInFlight: number | null;
}

/** One step of the plan: a stage at one batch size and one load level. */
export interface Step {
  readonly index: number;
  readonly stage: Stage;
  readonly mode: BatchMode;
  readonly batchSize: number;
  /** Closed loop: items in flight (static mode: divided by batch size into whole batches). Open loop: null. */
  readonly concurrency: number | null;
  /** Open loop only; null for closed-loop steps. */
  readonly arrivals: StepArrivals | null;
  readonly maxQueueDelayMs: number;
  /** See StageSpec.maxNewTokens (null: HTTP, not set). */
  readonly maxNewTokens: number | null;
  readonly warmup: PhaseLength;
  readonly measure: MeasureSpec;
  /**
   * Scenario steps only: the load stage this step is. Its concurrency (closed) or arrivals rate
   * (open) above then holds the stage's peak level, max(from, to), for labels and sizing.
   */
  readonly profile?: StepProfile;
  /** Server sweeps only: the launched server's configuration, and its log (relative to the report folder). */
  readonly serverConfig?: ServerParams;
  readonly serverLog?: string;
}

export interface StabilitySettings {
  /** The last N closed windows that must agree. */
  readonly windows: number;
  /** Largest allowed max / min - 1 of their p95 and of their throughput (0..1), on top of their sampling error. */
  readonly tolerance: number;
  /**
   * How long a step may measure past its planned length to settle; null = as long as the planned
   * measurement (its duration, or for a count the time the count took). measure.maxDuration bounds it.
   */
  readonly maxExtendMs: number | null;
}

export interface SignoffSettings {
  /** null = steps are not judged for stability (`stability: false`, --no-stability). */
  readonly stability: StabilitySettings | null;
  /** Times the whole sweep runs; each step's repeats merge into one report step. */
  readonly repeat: number;
  /** Per stage, search for the largest batch size (open loop: rate) within budget instead of sweeping. */
  readonly search: boolean;
}
