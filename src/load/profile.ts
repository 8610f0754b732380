/**
 * A scenario's load over time (k6 stages): each stage moves the level linearly from the previous
 * stage's target (0 before the first) to its own over its duration; equal targets hold. The level
 * is requests in flight (closed loop) or requests per second (open loop). Pure: offsets are ms from
 * the scenario's start.
 */
import { isHold, placeStages, type PlacedStage } from './placed-stages.js';
import type { ScenarioStageSpec } from '../core/scenario.js';

export class LoadProfile {
  readonly totalMs: number;
  private readonly startsMs: readonly number[];
  /** The stages placed from offset 0 (load/placed-stages.ts). */
  private readonly placed: readonly PlacedStage[];

  constructor(readonly stages: readonly ScenarioStageSpec[]) {
    const startsMs: number[] = [];
    let offsetMs = 0;
    stages.forEach((stage, index) => {
      if (!(Number.isFinite(stage.durationMs) && stage.durationMs >= 0)) {
        throw new RangeError(`stage ${index} ("${stage.name}"): durationMs must be a finite number >= 0, got ${stage.durationMs}`);
      }
      if (!(Number.isFinite(stage.target) && stage.target >= 0)) {
        throw new RangeError(`stage ${index} ("${stage.name}"): target must be a finite number >= 0, got ${stage.target}`);
      }
      startsMs.push(offsetMs);
      offsetMs += stage.durationMs;
    });
    this.startsMs = startsMs;
    this.totalMs = offsetMs;
    this.placed = placeStages(stages, 0);
  }

  get stageCount(): number {
    return this.stages.length;
  }

  stageStartMs(index: number): number {
    return this.startsMs[this.checkedIndex(index)] as number;
  }

  stageEndMs(index: number): number {
    return this.stageStartMs(index) + (this.stages[index] as ScenarioStageSpec).durationMs;
  }

  /** The level a stage starts from: the previous stage's target, 0 for the first. */
  fromLevel(index: number): number {
    return (this.placed[this.checkedIndex(index)] as PlacedStage).fromLevel;
  }

  /** See isHold in placed-stages.ts: a level held above 0. */
  isHold(index: number): boolean {
    return isHold(this.placed[this.checkedIndex(index)] as PlacedStage);
  }

  /** The load asked for `offsetMs` into the scenario; 0 before it starts and once it is over. */
  levelAt(offsetMs: number): number {
    if (!(offsetMs >= 0 && offsetMs < this.totalMs)) return 0;
    const index = this.stageIndexAt(offsetMs);
    const stage = this.stages[index] as ScenarioStageSpec;
    const from = this.fromLevel(index);
    const fraction = (offsetMs - (this.startsMs[index] as number)) / stage.durationMs;
    return from + (stage.target - from) * fraction;
  }

  /**
   * The stage running at `offsetMs` (stages are [start, end): a boundary belongs to the stage it
   * starts; zero-length stages hold no time). Clamped: before the start the first stage, from the
   * end on the last one, so anything sent in the scenario has a stage. -1 only with no stages.
   */
  stageIndexAt(offsetMs: number): number {
    const count = this.stages.length;
    if (count === 0) return -1;
    if (!(offsetMs >= 0)) return this.firstTimedStage();
    if (offsetMs >= this.totalMs) return this.lastTimedStage();
    // Last stage starting at or before the offset whose end lies after it.
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.startsMs[middle] as number) <= offsetMs) low = middle;
      else high = middle - 1;
    }
    while (low > 0 && (this.stages[low] as ScenarioStageSpec).durationMs === 0) low--;
    return low;
  }

  private firstTimedStage(): number {
    const index = this.stages.findIndex((stage) => stage.durationMs > 0);
    return index === -1 ? 0 : index;
  }

  private lastTimedStage(): number {
    for (let index = this.stages.length - 1; index >= 0; index--) {
      if ((this.stages[index] as ScenarioStageSpec).durationMs > 0) return index;
    }
    return this.stages.length - 1;
  }

  private checkedIndex(index: number): number {
    if (!(Number.isInteger(index) && index >= 0 && index < this.stages.length)) {
      throw new RangeError(`stage index must be an integer in [0, ${this.stages.length - 1}], got ${index}`);
    }
    return index;
  }
}
