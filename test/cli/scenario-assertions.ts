/** Shared checks for the scenario CLI tests: the schema, reading a run's outputs, the stage profile. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { ScenarioReport } from '../../src/core/report/scenario.js';
import type { ScenarioStageSpec } from '../../src/core/scenario.js';

const schema = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
export const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** A stack trace line, which users must never see. */
export const STACK_LINE = /^\s+at /m;

export async function readReport(dir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
}

/**
 * The load the stages ask for `offsetMs` into the scenario: each stage moves linearly from the
 * previous stage's target (0 before the first) to its own; null past the last stage.
 */
export function levelAt(stages: readonly ScenarioStageSpec[], offsetMs: number): number | null {
  let fromLevel = 0;
  let startMs = 0;
  for (const stage of stages) {
    if (offsetMs < startMs + stage.durationMs) {
      return fromLevel + ((stage.target - fromLevel) * (offsetMs - startMs)) / stage.durationMs;
    }
    fromLevel = stage.target;
    startMs += stage.durationMs;
  }
  return null;
}

/**
 * Windows whose middle falls inside the stages, each with its level and the profile's level
 * there: what a test compares to say the timeline's levels follow the stages.
 */
export function timelineLevels(scenario: ScenarioReport): { atMs: number; level: number; expected: number }[] {
  return scenario.timeline.flatMap((window) => {
    const middleMs = (window.startMs + window.endMs) / 2 - scenario.startedAtMs;
    const expected = levelAt(scenario.stages, middleMs);
    return expected === null ? [] : [{ atMs: middleMs, level: window.level, expected }];
  });
}
