/**
 * report.json's shard records: a shard run (`run --shard i/N`) says which share it drove, when it
 * started against the agreed instant, and how far its clock may be from the target's; a merged run
 * (`pipebench merge`) keeps each shard's own figures beside the merged ones, so an unequal shard shows.
 */

/** One shard's place: index 0..of-1 (an Indexed Job's JOB_COMPLETION_INDEX) of `of` shards. */
export interface ShardSlot {
  readonly index: number;
  readonly of: number;
}

/**
 * The local clock against the target's, from the HTTP Date header of one GET to its base URL:
 * offsetMs = target time - local time (positive: the target's clock is ahead). The header has a
 * resolution of one second, so the estimate carries +-(500 ms + half the round trip).
 */
export interface ClockOffsetReport {
  readonly source: 'http-date';
  readonly offsetMs: number;
  readonly uncertaintyMs: number;
}

export interface ShardReport extends ShardSlot {
  /** --start-at: the wall-clock instant every shard's first step starts at (ISO 8601); null: started when ready. */
  readonly startAt: string | null;
  /** When this shard's first step's load began, minus startAt (ms; null without --start-at). */
  readonly startSkewMs: number | null;
  /** null when it could not be estimated (no Date header, the target did not answer). */
  readonly clockOffset: ClockOffsetReport | null;
}

/** A merged run: one shard's own figures per step, beside the merged step. */
export interface ShardSummary extends ShardReport {
  readonly runId: string;
  readonly steps: readonly {
    readonly index: number;
    readonly completed: number;
    readonly errors: number;
    readonly itemsPerSec: number;
    readonly e2eP95Ms: number | null;
  }[];
}
