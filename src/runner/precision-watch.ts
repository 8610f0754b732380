/**
 * Adaptive measurement (measure.precision): decides, while a step runs, when it has measured
 * enough. Once per closed window (never per send) it reads the e2e histogram so far and stops the
 * step when its p95 interval (order statistics over independent model calls, e2e-confidence.ts) is
 * supported and within +-precision, and, when stability is on, the last windows agree. The hard
 * limit (measure.maxDuration) is the time cap that ends a step that never gets there.
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

  /** `stability`: null with stability off (the interval alone ends the step). */
  constructor(
    private readonly source: PrecisionSource,
    private readonly precision: number,
    private readonly stability: StabilityWatch | null,
  ) {}

  /** StepPhasesOptions.shouldStop: judged when a window has closed since the last judgement. */
  readonly shouldStop = (): boolean => {
    const count = this.source.closedWindowCount;
    if (count === this.judgedAtCount) return false;
    this.judgedAtCount = count;
    const { histogram, completed, meanBatchSize } = this.source.e2eSoFar();
    const estimate = p95SoFar(histogram, completed, meanBatchSize);
    if (estimate === null || !reachesPrecision(estimate, this.precision)) return false;
    if (this.stability !== null && !this.stability.settled()) return false;
    this.reached = true;
    return true;
  };

  /** True when the step stopped because it reached its precision (and settled), not at its time cap. */
  get precisionReached(): boolean {
    return this.reached;
  }
}
