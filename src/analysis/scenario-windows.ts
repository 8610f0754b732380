/**
 * The windows and steps that belong to a scenario's placed stages (load/placed-stages.ts): what
 * every scenario verdict starts from.
 */
import { decodeHistogram, mergeEncoded, percentileMs } from '../metrics/histogram.js';
import type { ScenarioFacts, TimelineWindow } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import { isHold, type PlacedStage } from '../load/placed-stages.js';

/** The holds at the scenario's highest level: where steady and soak are judged. */
export function topHolds(stages: readonly PlacedStage[]): PlacedStage[] {
  const top = Math.max(0, ...stages.map((stage) => stage.toLevel));
  return stages.filter((stage) => isHold(stage) && stage.toLevel === top);
}

/** A window belongs to the span its middle falls in, so a window straddling a boundary counts once. */
export function windowsWithin(timeline: readonly TimelineWindow[], startMs: number, endMs: number): TimelineWindow[] {
  return timeline.filter((window) => {
    const middleMs = (window.startMs + window.endMs) / 2;
    return middleMs >= startMs && middleMs < endMs;
  });
}

export function windowsOfStages(timeline: readonly TimelineWindow[], stages: readonly PlacedStage[]): TimelineWindow[] {
  return timeline.filter((window) => stages.some((stage) => windowsWithin([window], stage.startMs, stage.endMs).length === 1));
}

/** errors / (completed + errors) over the windows; 0 when nothing responded. */
export function windowsErrorRate(windows: readonly TimelineWindow[]): number {
  const errors = windows.reduce((sum, w) => sum + w.errors, 0);
  const total = errors + windows.reduce((sum, w) => sum + w.completed, 0);
  return total === 0 ? 0 : errors / total;
}

export function windowErrorRate(window: TimelineWindow): number {
  return windowsErrorRate([window]);
}

/** Completed items per second of the window; 0 for a window without duration. */
export function windowItemsPerSec(window: TimelineWindow): number {
  const seconds = (window.endMs - window.startMs) / 1000;
  return seconds > 0 ? window.completed / seconds : 0;
}

/** The scenario step that measured stage `index`, if it ran. */
export function stepOfStage(steps: readonly StepReport[], index: number): StepReport | undefined {
  return steps.find((step) => step.profile?.stageIndex === index);
}

export interface MergedLatency {
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly completed: number;
  readonly errors: number;
  readonly errorRate: number;
}

/** Percentiles of the steps' e2e histograms added together (exact), and their summed errors. */
export function mergeSteps(steps: readonly StepReport[]): MergedLatency {
  const encoded = steps.map((step) => step.histograms.e2e).filter((h): h is string => h !== undefined);
  const histogram = decodeHistogram(mergeEncoded(encoded));
  const completed = steps.reduce((sum, step) => sum + step.completed, 0);
  const errors = steps.reduce((sum, step) => sum + step.errors.total, 0);
  return {
    p50Ms: percentileMs(histogram, 50),
    p95Ms: percentileMs(histogram, 95),
    p99Ms: percentileMs(histogram, 99),
    completed,
    errors,
    errorRate: completed + errors === 0 ? 0 : errors / (completed + errors),
  };
}

/** Offset from the scenario's start, for verdict fields. */
export function offsetMs(facts: ScenarioFacts, epochMs: number): number {
  return epochMs - facts.startedAtMs;
}
