/**
 * What both load drivers share for one step: warm-up then measurement (by items sent and/or time),
 * the stop reasons, the hard limit, abort handling and the drain grace, and the prebuilt
 * continuations that record a send's results. The drivers only decide when to send.
 */
import { epochNowMs, type Clock } from '../core/clock.js';
import type { InFlightFigures } from '../core/measurement.js';
import { InFlightGauge, InFlightSpan } from '../metrics/in-flight.js';
import type { StaticBatchTarget, Target } from '../targets/target.js';
import type { ItemResult } from '../core/item-result.js';
import type { Stage } from '../core/stage.js';
import type { PhaseLength } from '../core/workload.js';

export interface ResultSink {
  record(result: ItemResult): void;
  /**
   * Each measured send as it goes out, before its results: `items` it carries, the time it was due
   * (its items' t_arrival) and the time it was issued (later than due when the driver ran late). A
   * scenario's ledger counts sends and lateness per stage from it; a step's recorder needs none.
   */
  sent?(items: number, dueMs: number, issuedAtMs: number): void;
}

export interface TextFeed {
  next(): string;
}

/** What every driver is given for one step; each adds how it decides when to send. */
export interface DriverOptions {
  readonly target: Target;
  readonly stage: Stage;
  readonly texts: TextFeed;
  /** Counted in items and/or time; warm-up results are dropped. */
  readonly warmup: PhaseLength;
  readonly measure: PhaseLength & { readonly maxDurationMs: number };
  readonly sink: ResultSink;
  readonly clock: Clock;
  /**
   * Aborting stops sending; requests in flight still finish and are recorded if they come back
   * within ABORT_DRAIN_GRACE_MS (or drainGraceMs when shorter), else they are abandoned.
   */
  readonly signal?: AbortSignal;
  /** Static batching: each send is one submitBatch of exactly batchSize texts. */
  readonly staticBatch?: { readonly target: StaticBatchTarget; readonly batchSize: number };
  /**
   * After an abort or the hard limit, how long requests still in flight may take to come back;
   * then the step ends without them (a stalled target cannot hang the run). Default 10 s.
   */
  readonly drainGraceMs?: number;
  /** See StepPhasesOptions.shouldStop: lets measurement run past its planned length. */
  readonly shouldStop?: (overrunMs: number) => boolean;
  /** See StepPhasesOptions.inFlightGauge. */
  readonly inFlightGauge?: InFlightGauge;
}

export type LoadPhase = 'warmup' | 'measure' | 'draining';
export type EndReason = 'requests' | 'duration' | 'maxDuration' | 'aborted';

/** Parts measured at once (worker threads, shards): an interrupt or the hard limit in any is the whole's; otherwise the plan's own end. */
export function mergedEndReason<Reason extends string>(reasons: readonly Reason[]): Reason | EndReason {
  for (const reason of ['aborted', 'maxDuration'] as const) if ((reasons as readonly string[]).includes(reason)) return reason;
  return reasons[0] ?? 'requests';
}

export interface StepPhasesOptions {
  readonly warmup: PhaseLength;
  readonly measure: PhaseLength & { readonly maxDurationMs: number };
  /** Items one send carries (static batch size, else 1): phase lengths count items. */
  readonly itemsPerSend: number;
  readonly signal?: AbortSignal;
  /** See DriverOptions.drainGraceMs. Default 10 s. */
  readonly drainGraceMs?: number;
  /** Called once when sending stops, so the driver can cancel its own timers. */
  readonly onStop?: () => void;
  /**
   * Consulted at each send once the planned length (count or duration) is reached, with how far
   * past it measurement has run; false keeps measuring (e.g. until the windows settle). Absent:
   * stop at the planned length. The hard limit (maxDurationMs) still ends the step.
   */
  readonly shouldStop?: (overrunMs: number) => boolean;
  /** Stamps a stop that no send triggered (hard limit, abort), so extendedMs stays right. */
  readonly clock?: Clock;
  /**
   * What counts as in flight for the step's held load: a target's own gauge (HTTP: requests on the
   * wire). Absent: the driver's count of sends not yet returned, in items.
   */
  readonly inFlightGauge?: InFlightGauge;
}

const DEFAULT_DRAIN_GRACE_MS = 10_000;
/**
 * The longest drain after an abort (SIGINT/SIGTERM, a stress run's stop): whoever interrupts a run
 * wants its partial report now, not after a stalled target's requests time out.
 */
export const ABORT_DRAIN_GRACE_MS = 2000;
/** What a rejected send is recorded as; targets should not reject, but the interface allows it. */
export const TARGET_ERROR = 'target_error';

export class StepPhases {
  private currentPhase: LoadPhase = 'warmup';
  private stoppedBy: EndReason = 'requests';
  private sendsAbandoned = 0;
  private sendsInFlight = 0;
  private warmupSends = 0;
  private measureSends = 0;
  private phaseStartMs = 0;
  /** When the planned length was reached (null before); measurement past it is an extension. */
  private plannedEndMs: number | null = null;
  private stoppedAtMs: number | null = null;
  private resolveDone: (() => void) | undefined;
  /**
   * Items sent and not yet returned, time-weighted (the driver's own view of the load); null when the
   * target counts its own requests on the wire (options.inFlightGauge), which the held load then reads.
   */
  private readonly sending: InFlightGauge | null;
  /** The held load, read from measurement's start to sending's stop. */
  private readonly held: InFlightSpan;
  private readonly grace = new DrainGrace(() => {
    this.sendsAbandoned = this.inFlight;
    this.finish();
  });
  private readonly onAbort = (): void => {
    this.stop('aborted');
    this.armDrainGrace(abortDrainGraceMs(this.options.drainGraceMs));
  };

  constructor(private readonly options: StepPhasesOptions) {
    const gauge = options.inFlightGauge ?? new InFlightGauge();
    this.sending = options.inFlightGauge === undefined ? gauge : null;
    this.held = new InFlightSpan(gauge);
  }

  /**
   * Starts the step at `startMs`: arms the hard limit and listens for abort. Resolves once sending
   * has stopped and every send has come back (or the drain grace ran out).
   */
  start(startMs: number): Promise<void> {
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.phaseStartMs = startMs;
    if (!hasLength(this.options.warmup)) this.startMeasuring(startMs);
    const { signal } = this.options;
    signal?.addEventListener('abort', this.onAbort, { once: true });
    // The hard limit also covers a target that stops answering: sending ends, in-flight work drains.
    const limit = setTimeout(() => {
      this.stop('maxDuration');
      this.armDrainGrace();
    }, this.hardLimitMs());
    if (signal?.aborted) this.stop('aborted');
    return done.then(() => {
      clearTimeout(limit);
      this.grace.cancel();
      signal?.removeEventListener('abort', this.onAbort);
    });
  }

  get phase(): LoadPhase {
    return this.currentPhase;
  }

  /** Why measurement ended: its count or duration was reached, the hard limit hit, or aborted. */
  get endedBy(): EndReason {
    return this.stoppedBy;
  }

  /** Sends still in flight when the drain grace ran out. */
  get abandoned(): number {
    return this.sendsAbandoned;
  }

  get inFlight(): number {
    return this.sendsInFlight;
  }

  get warmupItems(): number {
    return this.warmupSends * this.options.itemsPerSend;
  }

  get measuredItems(): number {
    return this.measureSends * this.options.itemsPerSend;
  }

  /** The load held from measurement's start until sending stopped; null before it stopped. */
  get inFlightFigures(): InFlightFigures | null {
    return this.held.result;
  }

  /** How long measurement ran past its planned length (0 when shouldStop never asked for more). */
  get extendedMs(): number {
    if (this.plannedEndMs === null || this.stoppedAtMs === null) return 0;
    return Math.max(0, this.stoppedAtMs - this.plannedEndMs);
  }

  /** Moves to the phase that a send at `atMs` belongs to (measurement, or draining when over). */
  advance(atMs: number): LoadPhase {
    if (this.phase === 'warmup') {
      const { requests, durationMs } = this.options.warmup;
      const byCount = requests !== undefined && this.warmupItems >= requests;
      const byTime = durationMs !== undefined && atMs - this.phaseStartMs >= durationMs;
      if (byCount || byTime) this.startMeasuring(atMs);
    }
    if (this.phase === 'measure') {
      const { requests, durationMs, maxDurationMs } = this.options.measure;
      const planned: EndReason | null =
        requests !== undefined && this.measuredItems >= requests
          ? 'requests'
          : durationMs !== undefined && atMs - this.phaseStartMs >= durationMs
            ? 'duration'
            : null;
      if (planned !== null) {
        this.plannedEndMs ??= atMs;
        if (this.options.shouldStop === undefined || this.options.shouldStop(atMs - this.plannedEndMs)) this.stop(planned, atMs);
      }
      if (this.phase === 'measure' && atMs - this.phaseStartMs >= maxDurationMs) this.stop('maxDuration', atMs);
    }
    return this.phase;
  }

  /** Counts one send, issued at `atMs`, in the current phase (call after advance() said it is not draining). */
  sent(atMs: number): void {
    this.sendsInFlight++;
    this.sending?.up(atMs, this.options.itemsPerSend);
    if (this.phase === 'measure') this.measureSends++;
    else this.warmupSends++;
  }

  /** Stops sending (first reason wins); the step ends once nothing is in flight. */
  stop(reason: EndReason, atMs?: number): void {
    if (this.phase === 'draining') return;
    this.currentPhase = 'draining';
    this.stoppedBy = reason;
    // Stamped with the send that settled it (the same clock read as the return that freed its slot), else now.
    this.held.end(atMs ?? this.options.clock?.() ?? epochNowMs());
    if (this.plannedEndMs !== null) this.stoppedAtMs = atMs ?? this.options.clock?.() ?? this.plannedEndMs;
    this.options.onStop?.();
    if (reason === 'maxDuration') this.armDrainGrace();
    this.finishIfDrained();
  }

  /** One send came back (answered or rejected) at `atMs`. */
  returned(atMs: number): void {
    this.sendsInFlight--;
    this.sending?.down(atMs, this.options.itemsPerSend);
  }

  finishIfDrained(): void {
    if (this.phase === 'draining' && this.inFlight === 0) this.finish();
  }

  private hardLimitMs(): number {
    const warmupMs = this.options.warmup.durationMs ?? this.options.measure.maxDurationMs;
    return warmupMs + this.options.measure.maxDurationMs;
  }

  private startMeasuring(atMs: number): void {
    this.currentPhase = 'measure';
    this.phaseStartMs = atMs;
    this.held.start(atMs);
  }

  private armDrainGrace(graceMs = this.options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS): void {
    if (this.resolveDone !== undefined) this.grace.arm(graceMs);
  }

  private finish(): void {
    this.resolveDone?.();
    this.resolveDone = undefined;
  }
}

/** How long a drain may last: armed when sending stops, moved earlier (never later) by an abort. */
export class DrainGrace {
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() at which the armed grace runs out. */
  private endsAt = Number.POSITIVE_INFINITY;

  constructor(private readonly onExpired: () => void) {}

  /** Ends the drain `graceMs` from now, unless the grace already armed ends sooner. */
  arm(graceMs: number): void {
    const endsAt = performance.now() + graceMs;
    if (endsAt >= this.endsAt) return;
    clearTimeout(this.timer);
    this.endsAt = endsAt;
    this.timer = setTimeout(this.onExpired, graceMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}

/** The drain grace after an abort: ABORT_DRAIN_GRACE_MS, or the configured grace when it is shorter. */
export function abortDrainGraceMs(drainGraceMs: number | undefined): number {
  return Math.min(drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS, ABORT_DRAIN_GRACE_MS);
}

function hasLength(phase: PhaseLength): boolean {
  return (phase.requests ?? 0) > 0 || (phase.durationMs ?? 0) > 0;
}
