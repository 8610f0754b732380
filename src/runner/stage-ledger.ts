/**
 * Routes a scenario drive's items to its stages by send time (t_arrival): one StepRecorder per
 * stage, items sent and items back per stage (a stage is over once its time passed and every
 * item it sent came back), and, for open loop, each stage's own late-send counts. The drivers
 * hand it every send as it goes out and every result as it comes back (ResultSink).
 */
import type { ResultSink } from '../load/step-phases.js';
import type { LoadProfile } from '../load/profile.js';
import { SendCounter } from '../load/send-stats.js';
import type { Clock } from '../core/clock.js';
import { StepRecorder } from '../metrics/recorder.js';
import { type ItemResult } from '../core/item-result.js';
import type { Step } from '../core/workload.js';

/** What one stage saw; the recorder holds its items. */
export interface StageLedgerEntry {
  readonly step: Step;
  /** Index among the scenario's stages (Step.profile.stageIndex). */
  readonly stageIndex: number;
  readonly recorder: StepRecorder;
  /** Epoch ms this stage's time starts and ends in this drive. */
  readonly startMs: number;
  readonly endMs: number;
  sentItems: number;
  recordedItems: number;
  /** This stage's sends against their schedule (open loop: the stage's late sends). */
  readonly sends: SendCounter;
}

export interface StageLedgerOptions {
  readonly profile: LoadProfile;
  /** The scenario's steps still to run, each with its profile. */
  readonly steps: readonly Step[];
  /** Offset into the profile the drive starts at, and the epoch ms it started. */
  readonly startOffsetMs: number;
  readonly startMs: number;
  readonly clock: Clock;
  readonly windowMs: number;
  /** Open loop: sends follow a schedule, and one issued more than lateThresholdMs after it was due is late. */
  readonly scheduled: boolean;
  readonly lateThresholdMs: number;
  /** Called with every recorded item after the stage's own recorder (the timeline). */
  readonly onItem: (result: ItemResult) => void;
  /** Called when a stage's last outstanding item came back. */
  readonly onStageDrained: (entry: StageLedgerEntry) => void;
}

export class StageLedger implements ResultSink {
  /** In stage order; stages before the drive's start offset are absent. */
  readonly entries: readonly StageLedgerEntry[];
  private readonly byStageIndex: ReadonlyMap<number, StageLedgerEntry>;
  private closed = false;
  /** Open loop: the latest scheduled time of a send issued so far (sends are issued in schedule order). */
  private issuedThroughMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StageLedgerOptions) {
    const { profile, steps, startOffsetMs, startMs, clock, windowMs, lateThresholdMs } = options;
    const toEpoch = (offsetMs: number): number => startMs + (offsetMs - startOffsetMs);
    this.entries = steps.flatMap((step) => {
      const stageIndex = step.profile?.stageIndex;
      if (stageIndex === undefined || stageIndex >= profile.stageCount) return [];
      return [
        {
          step,
          stageIndex,
          recorder: new StepRecorder({ clock, windowMs }),
          startMs: toEpoch(profile.stageStartMs(stageIndex)),
          endMs: toEpoch(profile.stageEndMs(stageIndex)),
          sentItems: 0,
          recordedItems: 0,
          sends: new SendCounter(lateThresholdMs),
        },
      ];
    });
    this.byStageIndex = new Map(this.entries.map((entry) => [entry.stageIndex, entry]));
  }

  /** The stage an item sent at `epochMs` belongs to (clamped to the stages this drive runs). */
  entryAt(epochMs: number): StageLedgerEntry | undefined {
    const { profile, startOffsetMs, startMs } = this.options;
    const entry = this.byStageIndex.get(profile.stageIndexAt(startOffsetMs + (epochMs - startMs)));
    return entry ?? (epochMs < startMs ? this.entries[0] : this.entries.at(-1));
  }

  record(result: ItemResult): void {
    if (this.closed) return;
    const entry = this.entryAt(result.tArrivalMs);
    if (entry === undefined) return;
    entry.recorder.record(result);
    entry.recordedItems++;
    this.options.onItem(result);
    if (entry.recordedItems === entry.sentItems) this.options.onStageDrained(entry);
  }

  /**
   * Whether every send due before `epochMs` has been issued. Open loop with an in-flight cap: sends
   * due in a stage may still wait for a slot after its time is up, so a stage is not over until a
   * send due after its end went out (they go in schedule order). Closed loop sends at once.
   */
  issuedPast(epochMs: number): boolean {
    return !this.options.scheduled || this.issuedThroughMs >= epochMs;
  }

  /** Items that come back after this (abandoned ones) are dropped: the stages are reported. */
  close(): void {
    this.closed = true;
  }

  /** A send went out: counted by the stage its due time falls in. */
  sent(items: number, dueMs: number, issuedAtMs: number): void {
    if (dueMs > this.issuedThroughMs) this.issuedThroughMs = dueMs;
    const entry = this.entryAt(dueMs);
    if (entry === undefined) return;
    entry.sentItems += items;
    entry.sends.count(dueMs, issuedAtMs);
  }
}
