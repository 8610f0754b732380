/**
 * A scenario's load stages placed back to back: the one model of where each stage starts and ends
 * and what level it moves from and to. The load profile drives from it, the runner judges stress
 * holds with it, and the scenario verdicts and renderers place windows and steps by it.
 */
import type { ScenarioStageSpec } from '../core/scenario.js';

/** A stage with the level it starts from and its span, in epoch ms. */
export interface PlacedStage {
  readonly index: number;
  readonly name: string;
  readonly fromLevel: number;
  readonly toLevel: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** Stages back to back from the scenario's start; each starts at the previous target (0 first). */
export function placeStages(stages: readonly ScenarioStageSpec[], startedAtMs: number): PlacedStage[] {
  const placed: PlacedStage[] = [];
  let fromLevel = 0;
  let startMs = startedAtMs;
  stages.forEach((stage, index) => {
    placed.push({ index, name: stage.name, fromLevel, toLevel: stage.target, startMs, endMs: startMs + stage.durationMs });
    fromLevel = stage.target;
    startMs += stage.durationMs;
  });
  return placed;
}

/**
 * A hold keeps a load level: it starts where it ends, above 0. A stage "held" at 0 asks for
 * nothing, so it is no load level for stress (it cannot break) or spike (no baseline before it).
 */
export function isHold(stage: PlacedStage): boolean {
  return stage.fromLevel === stage.toLevel && stage.toLevel > 0;
}
