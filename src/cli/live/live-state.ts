/**
 * What a run looks like right now, folded from its RunEvent stream: the one state the TTY live
 * view, the Prometheus exporter and the JSONL stream read. Pure: an event and the time in, a new
 * state out.
 */
import type { RunEvent } from '../../runner/events.js';
import { sumClassCounts } from '../../metrics/measurement-merge.js';
import type { HostSample } from '../../core/report/telemetry.js';
import type { Step } from '../../core/workload.js';

/** The last closed window, with its rate worked out. */
export interface LiveWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly level: number | null;
  readonly completed: number;
  readonly errors: number;
  readonly itemsPerSec: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** A window event's window, with its rate worked out (the live view, /metrics and JSONL share it). */
export function liveWindowOf(event: Extract<RunEvent, { kind: 'window' }>): LiveWindow {
  const w = event.window;
  const spanS = (w.endMs - w.startMs) / 1000;
  return {
    startMs: w.startMs,
    endMs: w.endMs,
    level: event.level,
    completed: w.completed,
    errors: w.errors,
    itemsPerSec: spanS > 0 ? w.completed / spanS : 0,
    p50Ms: w.e2eP50Ms ?? null,
    p95Ms: w.e2eP95Ms,
    p99Ms: w.e2eP99Ms ?? null,
  };
}

export interface LiveState {
  readonly runId: string | null;
  /** Epoch ms of run-start (null before it). */
  readonly runStartedAtMs: number | null;
  /** The time of the latest event folded in: "now" for renderers. */
  readonly nowMs: number;
  /** Planned measurements (a search: at most); null before run-start. */
  readonly plannedSteps: number | null;
  readonly search: boolean;
  /** step-start events seen (1-based position of the current step). */
  readonly stepNo: number;
  readonly step: Step | null;
  readonly repeat: number | null;
  readonly stepStartedAtMs: number | null;
  /** The step so far, from the latest tick. */
  readonly stepCompleted: number;
  readonly stepErrors: number;
  readonly stepP95Ms: number | null;
  readonly window: LiveWindow | null;
  /** Sums over every window so far: monotonic, for counters. */
  readonly itemsTotal: number;
  readonly errorsTotal: number;
  readonly errorsByClassTotal: Readonly<Record<string, number>>;
  /** The answered items' e2e latency summed (ms): with itemsTotal, the latency summary's _sum and _count. */
  readonly e2eSumMsTotal: number;
  readonly windows: number;
  readonly gpuUtilPct: number | null;
  readonly gpuPowerW: number | null;
  readonly host: HostSample | null;
  readonly finished: boolean;
}

export function initialLiveState(nowMs: number): LiveState {
  return {
    runId: null,
    runStartedAtMs: null,
    nowMs,
    plannedSteps: null,
    search: false,
    stepNo: 0,
    step: null,
    repeat: null,
    stepStartedAtMs: null,
    stepCompleted: 0,
    stepErrors: 0,
    stepP95Ms: null,
    window: null,
    itemsTotal: 0,
    errorsTotal: 0,
    errorsByClassTotal: {},
    e2eSumMsTotal: 0,
    windows: 0,
    gpuUtilPct: null,
    gpuPowerW: null,
    host: null,
    finished: false,
  };
}

/** The load a step asks for: its level (closed: in flight, open: req/s); a scenario stage's peak. */
export function stepLevel(step: Step): number | null {
  return step.arrivals !== null ? step.arrivals.ratePerSec : step.concurrency;
}

export function reduceLiveState(state: LiveState, event: RunEvent, nowMs: number): LiveState {
  const at = { ...state, nowMs };
  switch (event.kind) {
    case 'run-start':
      return {
        ...initialLiveState(nowMs),
        runId: event.runId,
        runStartedAtMs: nowMs,
        plannedSteps: event.steps.length * (event.search ? 1 : event.repeat),
        search: event.search,
      };
    case 'step-start':
      return { ...at, ...freshStep(event.step, nowMs), stepNo: state.stepNo + 1, repeat: event.repeat };
    case 'tick':
      return { ...at, stepCompleted: event.completed, stepErrors: event.errors, stepP95Ms: event.p95Ms };
    case 'window': {
      const w = event.window;
      // A scenario's timeline may move on to its next load stage without a step-start of its own.
      const moved =
        state.step === null || state.step.index !== event.step.index
          ? { ...freshStep(event.step, w.startMs), stepNo: Math.max(state.stepNo, 1) }
          : {};
      return {
        ...at,
        ...moved,
        window: liveWindowOf(event),
        itemsTotal: state.itemsTotal + w.completed,
        errorsTotal: state.errorsTotal + w.errors,
        errorsByClassTotal: sumClassCounts([state.errorsByClassTotal, w.errorsByClass]),
        e2eSumMsTotal: state.e2eSumMsTotal + (w.e2eSumMs ?? 0),
        windows: state.windows + 1,
        gpuUtilPct: event.gpuUtilPct,
        gpuPowerW: event.gpuPowerW,
        host: event.host ?? state.host,
      };
    }
    case 'run-end':
      return { ...at, finished: true };
    case 'step-end':
    case 'warning':
    case 'note':
      return at;
  }
}

function freshStep(
  step: Step,
  startedAtMs: number,
): Pick<LiveState, 'step' | 'stepStartedAtMs' | 'stepCompleted' | 'stepErrors' | 'stepP95Ms'> {
  return { step, stepStartedAtMs: startedAtMs, stepCompleted: 0, stepErrors: 0, stepP95Ms: null };
}

/** Since the current step (a scenario: its load stage) started; null before the first. */
export function stepElapsedMs(state: LiveState): number | null {
  return state.stepStartedAtMs === null ? null : Math.max(0, state.nowMs - state.stepStartedAtMs);
}
