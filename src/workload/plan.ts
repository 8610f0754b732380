/**
 * A workload -> its ordered steps: stages in file order, each at its batch sizes in ascending
 * order, each batch size at every load level (closed: concurrency levels; open: rates) ascending.
 * A scenario workload instead plans one step per scenario load stage, in order.
 */
import { DEFAULTS, defaultMaxNewTokens } from './defaults.js';
import type { StageSpec, Step, Workload } from '../core/workload.js';
import type { ScenarioSpec } from '../core/scenario.js';

/** A scenario step may run this long past its stage's duration while its last requests drain. */
export const SCENARIO_STEP_GRACE_MS = 30_000;

export function planSteps(workload: Workload): Step[] {
  if (workload.scenario !== undefined) return planScenarioSteps(workload, workload.scenario);
  const steps: Step[] = [];
  const http = workload.target.kind === 'http';
  for (const stage of workload.stages) {
    for (const batchSize of stage.batchSizes) {
      const common = {
        stage: stage.stage,
        mode: stage.mode,
        batchSize,
        maxQueueDelayMs: stage.maxQueueDelayMs,
        maxNewTokens: stage.maxNewTokens,
        warmup: workload.warmup,
        measure: workload.measure,
      };
      const load = workload.load;
      if (load.kind === 'open') {
        for (const ratePerSec of load.ratesPerSec) {
          const arrivals = { process: load.arrivals, ratePerSec, maxInFlight: load.maxInFlight };
          steps.push({ index: steps.length, ...common, concurrency: null, arrivals });
        }
      } else {
        for (const concurrency of concurrencyLevels(stage, batchSize, workload.engine.instances, http)) {
          steps.push({ index: steps.length, ...common, concurrency, arrivals: null });
        }
      }
    }
  }
  return steps;
}

/**
 * One step per load stage: the load moves from the previous stage's target (0 before the first) to
 * this one's. The step's concurrency (closed) or rate (open) is the stage's peak, max(from, to).
 */
function planScenarioSteps(workload: Workload, scenario: ScenarioSpec): Step[] {
  const spec = workload.stages.find((stage) => stage.stage === scenario.stage);
  const load = workload.load;
  let fromLevel = 0;
  let offsetMs = 0;
  return scenario.stages.map((stage, stageIndex): Step => {
    const peak = Math.max(fromLevel, stage.target);
    const profile = { name: stage.name, stageIndex, fromLevel, toLevel: stage.target, durationMs: stage.durationMs, offsetMs };
    fromLevel = stage.target;
    offsetMs += stage.durationMs;
    return {
      index: stageIndex,
      stage: scenario.stage,
      mode: 'dynamic',
      batchSize: scenario.batchSize,
      concurrency: load.kind === 'open' ? null : peak,
      arrivals: load.kind === 'open' ? { process: load.arrivals, ratePerSec: peak, maxInFlight: load.maxInFlight } : null,
      maxQueueDelayMs: spec?.maxQueueDelayMs ?? DEFAULTS.maxQueueDelayMs,
      maxNewTokens: spec === undefined ? defaultMaxNewTokens(workload.target.kind === 'http') : spec.maxNewTokens,
      warmup: workload.warmup,
      measure: { durationMs: stage.durationMs, maxDurationMs: stage.durationMs + SCENARIO_STEP_GRACE_MS },
      profile,
    };
  });
}

/**
 * Closed-loop levels for one batch size. In process, items in flight; "auto": dynamic
 * 2 x b x instances, so while one batch runs on each instance the next one fills; static
 * b x instances, exactly one full batch per instance (no queueing, so the latency is the model's
 * own batch-scaling curve). HTTP: requests in flight (each carrying b texts); "auto" = 1.
 */
export function concurrencyLevels(
  stage: Pick<StageSpec, 'mode' | 'concurrency'>,
  batchSize: number,
  instances: number,
  http = false,
): readonly number[] {
  if (stage.concurrency !== 'auto') return stage.concurrency;
  if (http) return [1];
  return [(stage.mode === 'static' ? 1 : 2) * batchSize * instances];
}

/** Bound on connections sized from an uncapped open loop: one second's worth of sends. */
const MAX_AUTO_CONNECTIONS = 1024;

/**
 * The highest number of requests the plan can have in flight at once: what an HTTP target with
 * `connections: auto` opens per origin. Closed: the largest concurrency; open: maxInFlight, or
 * for an uncapped loop one second's worth of sends at the top rate (bounded to 1024).
 */
export function peakInFlight(steps: readonly Step[]): number {
  let peak = 1;
  for (const step of steps) {
    const level =
      step.arrivals === null
        ? (step.concurrency ?? 1)
        : (step.arrivals.maxInFlight ?? Math.min(MAX_AUTO_CONNECTIONS, Math.ceil(step.arrivals.ratePerSec)));
    peak = Math.max(peak, level);
  }
  return peak;
}
