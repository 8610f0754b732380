/**
 * `pipebench run`'s flags: the one table of which flag sets which run-plan field (RUN_FLAGS), the
 * options defined from it, and the flags' raw values (RunFlags). run-flag-values.ts turns those
 * into typed overrides; the workload modules apply them (workload/run-plan.ts) and name fields.
 */
import type { Command } from 'commander';
import { STAGES } from '../core/stage.js';
import type { OverrideNames } from '../workload/override-names.js';
import { PROTOCOL_NAMES, type BackendChoice } from '../core/workload.js';
import { SCENARIO_KINDS, SCHEDULE_PRESETS } from '../core/scenario.js';

export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];

/** Which flag sets each run-plan field: the options below are defined from it, and errors name flags through it. */
export const RUN_FLAGS = {
  batchSizes: '--batch-sizes',
  stages: '--stages',
  backend: '--backend',
  instances: '--instances',
  requests: '--requests',
  durationMs: '--duration',
  precision: '--precision',
  warmupRequests: '--warmup',
  maxNewTokens: '--max-new-tokens',
  seed: '--seed',
  p95Ms: '--p95',
  p99Ms: '--p99',
  maxErrorRate: '--max-error-rate',
  targetUrl: '--target',
  protocol: '--protocol',
  concurrency: '--concurrency',
  ratesPerSec: '--rate',
  arrivals: '--arrivals',
  maxInFlight: '--max-in-flight',
  connections: '--connections',
  timeoutMs: '--timeout',
  uniqueTexts: '--no-unique-texts',
  health: '--health',
  serverMetrics: '--server-metrics',
  serverMetricsIntervalMs: '--server-metrics-interval',
  stabilityWindows: '--stability-windows',
  stabilityTolerance: '--stability-tolerance',
  maxExtendMs: '--max-extend',
  stability: '--no-stability',
  repeat: '--repeat',
  search: '--search',
  timeScale: '--time-scale',
  loadScale: '--load-scale',
  schedule: '--schedule',
  scenario: '--scenario',
  resume: '--resume',
  out: '--out',
  serverLaunch: '--server-launch',
  serverParams: '--server-param',
  serverHealth: '--server-health',
  workers: '--workers',
} as const satisfies OverrideNames;

const F = RUN_FLAGS;

/** The run-plan options of `pipebench run`, spelled from RUN_FLAGS. */
export function addRunPlanOptions(command: Command): Command {
  return command
    .option(`${F.targetUrl} <url>`, 'benchmark an HTTP service at this base URL instead of in-process models')
    .option(`${F.protocol} <name>`, `HTTP protocol: ${PROTOCOL_NAMES.join(' | ')} (default betterprompts)`)
    .option(`${F.batchSizes} <list>`, 'batch sizes for every stage (HTTP: texts per request), e.g. 1,4,16')
    .option(`${F.stages} <list>`, `stages to run, a subset of ${STAGES.join(',')}`)
    .option('--stage <name>', `run this one stage (same as ${F.stages} <name>)`)
    .option(`${F.concurrency} <list>`, 'closed loop: in flight per step (HTTP: requests), e.g. 8 or 1,4,16')
    .option(`${F.ratesPerSec} <list>`, 'open loop: requests per second, one step each, e.g. 10,20,40')
    .option(`${F.arrivals} <process>`, 'open-loop arrivals: constant | poisson (default constant)')
    .option(`${F.maxInFlight} <n>`, 'open loop: cap on requests in flight (late sends still count from the schedule)')
    .option(`${F.connections} <n>`, 'HTTP: connections per origin (default: the peak in-flight count)')
    .option(`${F.timeoutMs} <d>`, 'HTTP: headers and body timeout, e.g. 30s')
    .option(
      `${F.workers} <n>`,
      'HTTP: split each step\'s load over n worker threads (own connections each; merged exactly), or "auto" (cores - 1); in-process targets and scenarios take 1 (default 1)',
    )
    .option(F.uniqueTexts, 'let prompt texts repeat (HTTP services that cache on the text then measure their cache)')
    .option(`${F.health} <path>`, 'HTTP: the one health route to GET before the first step (default: the usual routes in turn)')
    .option('--no-health', 'HTTP: no health check before the first step')
    .option(
      `${F.serverMetrics} [url...]`,
      "HTTP: scrape these Prometheus metrics URLs during the run (Triton :8002, a DCGM exporter :9400); no URL: the target's own /metrics (the default)",
    )
    .option('--no-server-metrics', 'HTTP: scrape no server metrics')
    .option(`${F.serverMetricsIntervalMs} <ms>`, 'server metrics scrape interval (default 250ms)')
    .option(`${F.backend} <name>`, `TF.js backend: ${BACKENDS.join(' | ')}`)
    .option(`${F.instances} <n>`, 'model instances (worker threads or processes)')
    .option(`${F.requests} <n>`, 'measured items per step')
    .option(`${F.durationMs} <d>`, 'measured time per step, e.g. 10s')
    .option(
      `${F.precision} <r>`,
      'adaptive: each step measures until its e2e p95 interval is within +-r (e.g. 5%) and settles, or measure.maxDuration',
    )
    .option(`${F.warmupRequests} <n>`, 'warm-up items per step (not measured)')
    .option(`${F.maxNewTokens} <n>`, 'tokens generated per item (generate and pipeline stages)')
    .option(`${F.seed} <n>`, 'seed for the prompt order')
    .option(`${F.p95Ms} <ms>`, 'budget: p95 end-to-end latency, e.g. 3000ms or 3s')
    .option(`${F.p99Ms} <ms>`, 'budget: p99 end-to-end latency')
    .option(`${F.maxErrorRate} <r>`, 'budget: error rate, e.g. 1% or 0.01')
    .option('--budgets <file>', "budgets YAML in the performance guide's format: per-stage p95/p99, error rate, alert rules")
    .option(`${F.scenario} <kind>`, `run a built-in scenario (${SCENARIO_KINDS.join(' | ')}): load stages over time instead of a sweep`)
    .option(`${F.schedule} <preset>`, `scenario length by the guide's schedule: ${SCHEDULE_PRESETS.join(' | ')} (5 min, 30 min, full)`)
    .option(`${F.timeScale} <f>`, "scenario: multiply the file's stage durations by f (replaces its timeScale), e.g. 0.01")
    .option(`${F.loadScale} <f>`, "scenario: multiply the file's stage targets by f (replaces its loadScale), e.g. 0.1")
    .option(F.search, 'per stage, search for the largest batch size (open loop: rate) within budget instead of sweeping')
    .option(`${F.repeat} <n>`, 'run the whole sweep n times; each step reports the merged measurement and the spread')
    .option(`${F.stabilityWindows} <n>`, 'a step is stable when its last n windows (~20 model calls, at least 1 s) agree (default 3)')
    .option(
      `${F.stabilityTolerance} <r>`,
      'how closely they must agree beyond their sampling error: p95 and throughput max/min - 1 (default 10%)',
    )
    .option(`${F.maxExtendMs} <d>`, 'how long an unsettled step may measure past its plan (default: as long as the plan)')
    .option(F.stability, 'judge no stability windows: a step stops at its planned length (adaptive: once its interval is reached)')
    .option(
      `${F.serverLaunch} <template>`,
      'launch the HTTP server per configuration: a command with {port} and {name} per --server-param (README "Tune a served model")',
    )
    .option(
      `${F.serverParams} <name=values>`,
      'a server parameter and its values, e.g. maxBatchSize=1,8,32 (repeat the flag per parameter)',
      collect,
      [],
    )
    .option(`${F.serverHealth} <path>`, "the launched server's health route, polled until 2xx (default /health)")
    .option(`${F.out} <dir>`, 'output folder (default: reports/<run-id>)')
    .option(F.resume, `continue the interrupted run in ${F.out} from its last completed step (same workload and flags)`);
}

export interface RunFlags {
  readonly batchSizes?: string;
  readonly stages?: string;
  readonly backend?: string;
  readonly instances?: string;
  readonly requests?: string;
  readonly duration?: string;
  readonly precision?: string;
  readonly warmup?: string;
  readonly maxNewTokens?: string;
  readonly seed?: string;
  readonly p95?: string;
  readonly p99?: string;
  readonly maxErrorRate?: string;
  readonly out?: string;
  readonly runId?: string;
  readonly quiet?: boolean;
  readonly gpu?: boolean;
  readonly gpuTrace?: string;
  readonly gpuInterval?: string;
  readonly target?: string;
  readonly protocol?: string;
  readonly stage?: string;
  readonly concurrency?: string;
  readonly rate?: string;
  readonly arrivals?: string;
  readonly maxInFlight?: string;
  readonly connections?: string;
  readonly timeout?: string;
  /** false with --no-unique-texts. */
  readonly uniqueTexts?: boolean;
  /** --health PATH, or false with --no-health. */
  readonly health?: string | false;
  readonly stabilityWindows?: string;
  readonly stabilityTolerance?: string;
  readonly maxExtend?: string;
  /** false with --no-stability. */
  readonly stability?: boolean;
  readonly repeat?: string;
  readonly search?: boolean;
  readonly budgets?: string;
  readonly scenario?: string;
  readonly timeScale?: string;
  readonly loadScale?: string;
  readonly schedule?: string;
  readonly prometheusPort?: string;
  readonly resume?: boolean;
  readonly outJsonl?: string;
  /** --server-metrics [url...]: true without URLs; false with --no-server-metrics. */
  readonly serverMetrics?: string[] | boolean;
  readonly serverMetricsInterval?: string;
  readonly serverLaunch?: string;
  /** --server-param, once per parameter (empty when not given). */
  readonly serverParam?: readonly string[];
  readonly serverHealth?: string;
  readonly workers?: string;
  readonly shard?: string;
  readonly startAt?: string;
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}
