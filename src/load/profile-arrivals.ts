/**
 * Open-loop arrivals whose rate follows a load profile (requests/s = levelAt(t)). Both processes
 * work on the expected number of sends so far, N(t) = integral of the rate from the start:
 * - constant: a send each time N(t) crosses the next integer (a hold at r gives 1000 / r ms gaps);
 * - poisson: time rescaling of a unit-rate Poisson process: sends where N(t) reaches the running
 *   sum of Exp(1) draws (seeded), so the count in any interval is Poisson with mean N(b) - N(a).
 * The rate is piecewise linear, so N is piecewise quadratic and its inverse has a closed form.
 * Stretches at level 0 hold no sends; next() returns Infinity once the profile is over.
 */
import { mulberry32 } from '../random.js';
import type { ArrivalProcess } from '../core/workload.js';
import type { ArrivalSchedule } from './arrivals.js';
import type { LoadProfile } from './profile.js';

export interface ProfileArrivalsOptions {
  /** Where in the profile the schedule starts (a resume starts at a later stage); default 0. */
  readonly startOffsetMs?: number;
  /** Seeds the Poisson draws. */
  readonly seed: number;
}

/**
 * Offsets returned are ms from the schedule's start (startOffsetMs into the profile). Unlike the
 * fixed-rate schedules, the first send is not at 0: it comes once one send's worth of rate has
 * accrued, so a ramp from 0 does not begin with a send at level 0.
 */
export function profileArrivals(profile: LoadProfile, process: ArrivalProcess, options: ProfileArrivalsOptions): ArrivalSchedule {
  const startOffsetMs = options.startOffsetMs ?? 0;
  const sendsCurve = new ExpectedSends(profile);
  const base = sendsCurve.at(startOffsetMs);
  if (process === 'constant') {
    let index = 0;
    // From the index, not a running sum, so a long schedule does not drift.
    return { next: () => sendsCurve.offsetWhere(base + ++index) - startOffsetMs };
  }
  const random = mulberry32(options.seed);
  let unitTime = 0;
  return {
    next: () => {
      // random() is in [0, 1), so 1 - random() is in (0, 1] and the log is finite.
      unitTime += -Math.log(1 - random());
      return sendsCurve.offsetWhere(base + unitTime) - startOffsetMs;
    },
  };
}

/** One stage of the rate: level(t) = fromLevel + slopePerMs * (t - startMs) over durationMs. */
interface RateSegment {
  readonly startMs: number;
  readonly durationMs: number;
  readonly fromLevel: number;
  readonly slopePerMs: number;
  /** Expected sends before this segment. */
  readonly sendsBefore: number;
  readonly sends: number;
}

/** N(t): expected sends from the profile's start to offset t, and its inverse. */
export class ExpectedSends {
  private readonly segments: readonly RateSegment[];
  readonly total: number;
  /** Segment of the last lookup: schedules ask in increasing order, so this only moves forward. */
  private cursor = 0;

  constructor(profile: LoadProfile) {
    const segments: RateSegment[] = [];
    let sendsBefore = 0;
    for (let index = 0; index < profile.stageCount; index++) {
      const stage = profile.stages[index];
      if (stage === undefined || stage.durationMs === 0) continue;
      const fromLevel = profile.fromLevel(index);
      // Level is per second, time in ms: sends = mean level x duration / 1000.
      const sends = ((fromLevel + stage.target) / 2) * (stage.durationMs / 1000);
      segments.push({
        startMs: profile.stageStartMs(index),
        durationMs: stage.durationMs,
        fromLevel,
        slopePerMs: (stage.target - fromLevel) / stage.durationMs,
        sendsBefore,
        sends,
      });
      sendsBefore += sends;
    }
    this.segments = segments;
    this.total = sendsBefore;
  }

  /** Expected sends from the start to `offsetMs` (clamped to the profile). */
  at(offsetMs: number): number {
    let sends = 0;
    for (const segment of this.segments) {
      if (offsetMs <= segment.startMs) break;
      const intoMs = Math.min(offsetMs - segment.startMs, segment.durationMs);
      sends = segment.sendsBefore + (segment.fromLevel * intoMs + (segment.slopePerMs * intoMs * intoMs) / 2) / 1000;
    }
    return sends;
  }

  /** The offset where N reaches `sends` (> 0); Infinity past the profile's total. */
  offsetWhere(sends: number): number {
    if (!(sends <= this.total)) return Number.POSITIVE_INFINITY;
    if (this.cursor >= this.segments.length || (this.segments[this.cursor] as RateSegment).sendsBefore >= sends) this.cursor = 0;
    // A segment with no sends (level 0) is never chosen: it needs sendsBefore < sends <= its end.
    while (this.cursor < this.segments.length - 1) {
      const segment = this.segments[this.cursor] as RateSegment;
      if (sends <= segment.sendsBefore + segment.sends && segment.sends > 0) break;
      this.cursor++;
    }
    const segment = this.segments[this.cursor] as RateSegment;
    return segment.startMs + offsetInto(segment, sends - segment.sendsBefore);
  }
}

/**
 * Solves fromLevel * x + slope * x^2 / 2 = 1000 * sends for x in [0, durationMs]. The form
 * 2W / (a + sqrt(a^2 + 2kW)) is the quadratic's root without cancellation; its denominator is
 * positive whenever the segment has any sends (a > 0, or a = 0 rising).
 */
function offsetInto(segment: RateSegment, sends: number): number {
  const work = Math.max(0, sends) * 1000;
  const { fromLevel, slopePerMs } = segment;
  const root = Math.sqrt(Math.max(0, fromLevel * fromLevel + 2 * slopePerMs * work));
  const denominator = fromLevel + root;
  if (!(denominator > 0)) return segment.durationMs;
  return Math.min(segment.durationMs, Math.max(0, (2 * work) / denominator));
}
