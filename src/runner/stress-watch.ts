/**
 * A stress scenario's stop rule while it drives: each hold stage that ran to its end is judged
 * against the budget as it finishes; `stopAfterBreak` holds past the breaking point (the same
 * breakingPoint() the stress verdict uses), the drive stops.
 */
import { checkBudget, failedChecks } from '../analysis/budget.js';
import { breakingPoint } from '../analysis/scenario-stress.js';
import type { StepMeasurement } from '../core/measurement.js';
import type { Budget } from '../core/workload.js';
import type { LoadProfile } from '../load/profile.js';
import type { StageLedgerEntry } from './stage-ledger.js';

interface JudgedHold {
  readonly entry: StageLedgerEntry;
  readonly withinBudget: boolean;
  /** The checks it failed, e.g. "p95, errorRate". */
  readonly failed: string;
}

export class StressWatch {
  private readonly holds: JudgedHold[] = [];
  /** Why the drive stopped early; null until it should. */
  private stopReason: string | null = null;

  /** `stopAfterBreak`: null when the scenario never stops early (not a stress run). */
  constructor(
    private readonly stopAfterBreak: number | null,
    private readonly profile: LoadProfile,
    private readonly budget: Budget,
  ) {}

  get stoppedEarly(): string | null {
    return this.stopReason;
  }

  /** Judges a stage that ran to its end; returns true when the drive should stop now. */
  judge(entry: StageLedgerEntry, measurement: StepMeasurement, isLastStage: boolean): boolean {
    const { stopAfterBreak } = this;
    // A hold at 0 asks for nothing: it cannot break (isHold says so, for the verdict's levels too).
    if (stopAfterBreak === null || this.stopReason !== null || !this.profile.isHold(entry.stageIndex)) return false;
    const failed = failedChecks(checkBudget(measurement, this.budget));
    this.holds.push({ entry, withinBudget: failed.length === 0, failed: failed.join(', ') });
    const brokeAt = breakingPoint(this.holds);
    const broke = this.holds[brokeAt];
    if (broke === undefined) return false;
    const holdsSinceBreak = this.holds.length - 1 - brokeAt;
    // Breaking at the last stage ends nothing early.
    if (holdsSinceBreak < stopAfterBreak || isLastStage) return false;
    const { step, stageIndex } = broke.entry;
    const unit = step.arrivals === null ? 'in flight' : 'req/s';
    this.stopReason =
      `breaking point found: stage ${stageIndex} "${step.profile?.name ?? ''}" at ${step.profile?.toLevel ?? 0} ${unit} failed ${broke.failed}; ` +
      `stopped after ${holdsSinceBreak} more hold stage${holdsSinceBreak === 1 ? '' : 's'}`;
    return true;
  }
}
