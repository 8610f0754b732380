/**
 * Adaptive measurement (measure.precision): decides, while a step runs, when it has measured
 * enough. Once per closed window (never per send) it reads the e2e histogram so far and stops the
 * step when its p95 interval (order statistics over independent model calls, e2e-confidence.ts) is
 * supported and within +-precision, and, when stability is on, the last windows agree. A step
 * that never gets there ends at its cap: `maxWindows` closed windows (measure.maxWindows: each window
 * holds ~20 model calls, so this cap is in calls, sized to what the step's batch costs), or the hard
 * limit (measure.maxDuration), whichever comes first.
 */
import { p95SoFar, reachesPrecision } from '../analysis/e2e-confidence.js';
import type { E2eSoFar } from '../metrics/recorder.js';
import type { StabilityWatch } from './stability-watch.js';

/** What the watch reads of the recorder. */
export interface PrecisionSource {
  readonly closedWindowCount: number;
  e2eSoFar(): E2eSoFar;
}

export class PrecisionWatch {
  private judgedAtCount = 0;
  private reached = false;

  /** `stability`: null with stability off (the interval alone ends the step); `maxWindows`: null for no window cap. */
  constructor(
    private readonly source: PrecisionSource,
    private readonly precision: number,
    private readonly stability: StabilityWatch | null,
    private readonly maxWindows: number | null = null,
  ) {}

  /** StepPhasesOptions.shouldStop: judged when a window has closed since the last judgement. */
  readonly shouldStop = (): boolean => {
    const count = this.source.closedWindowCount;
    if (count === this.judgedAtCount) return false;
    this.judgedAtCount = count;
    const { histogram, completed, meanBatchSize } = this.source.e2eSoFar();
    const estimate = p95SoFar(histogram, completed, meanBatchSize);
    if (estimate !== null && reachesPrecision(estimate, this.precision) && (this.stability === null || this.stability.settled())) {
      this.reached = true;
      return true;
    }
    return this.windowCapReached;
  };

  /** True when the step stopped because it reached its precision (and settled), not at its time cap. */
  get precisionReached(): boolean {
    return this.reached;
  }

  /** True when the step measured its measure.maxWindows windows without reaching its precision (or settling). */
  get windowCapReached(): boolean {
    return !this.reached && this.maxWindows !== null && this.judgedAtCount >= this.maxWindows;
  }
}
