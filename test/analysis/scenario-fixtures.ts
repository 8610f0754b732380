/**
 * Scenario facts with known answers: stages as [name, durationMs, target], 1 s windows whose p95
 * and counts a test chooses, and scenario steps recorded through the real recorder.
 */
import { StepRecorder } from '../../src/metrics/recorder.js';
import { buildStepReport } from '../../src/analysis/analyze-run.js';
import type { ScenarioFacts, TimelineWindow } from '../../src/core/report/scenario.js';
import type { StepReport } from '../../src/core/report/step.js';
import type { HostReport, HostSample, TfMemory } from '../../src/core/report/telemetry.js';
import type { Budget, StepProfile } from '../../src/core/workload.js';
import type { ScenarioKind, ScenarioStageSpec } from '../../src/core/scenario.js';

export const T0 = 1_750_000_000_000;
export const WINDOW_MS = 1000;
export const budget: Budget = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 };

export type StageRow = readonly [name: string, durationMs: number, target: number];

export function stagesOf(rows: readonly StageRow[]): ScenarioStageSpec[] {
  return rows.map(([name, durationMs, target]) => ({ name, durationMs, target }));
}

export interface WindowValues {
  readonly p95Ms: number | null;
  readonly completed?: number;
  readonly errors?: number;
  readonly level?: number;
}

/** Window i covers [T0 + i s, T0 + (i + 1) s). */
export function windowAt(i: number, values: WindowValues): TimelineWindow {
  return {
    startMs: T0 + i * WINDOW_MS,
    endMs: T0 + (i + 1) * WINDOW_MS,
    level: values.level ?? 0,
    completed: values.completed ?? 100,
    errors: values.errors ?? 0,
    p50Ms: values.p95Ms === null ? null : values.p95Ms / 2,
    p95Ms: values.p95Ms,
    p99Ms: values.p95Ms === null ? null : values.p95Ms * 1.2,
  };
}

export function timeline(values: readonly WindowValues[]): TimelineWindow[] {
  return values.map((v, i) => windowAt(i, v));
}

export function scenarioFacts(
  kind: ScenarioKind,
  rows: readonly StageRow[],
  windows: readonly TimelineWindow[],
  stoppedEarly: string | null = null,
): ScenarioFacts {
  const stages = stagesOf(rows);
  return {
    kind,
    axis: 'concurrency',
    stage: 'classify',
    batchSize: 8,
    timeScale: 1,
    loadScale: 1,
    windowMs: WINDOW_MS,
    stages,
    startedAtMs: T0,
    stagesRun: stoppedEarly === null ? stages.length : windows.length === 0 ? 0 : stages.length - 1,
    stoppedEarly,
    timeline: windows,
  };
}

export interface StepValues {
  readonly count: number;
  readonly e2eMs: number;
  readonly failures?: number;
  readonly spanMs?: number;
  readonly complete?: boolean;
}

/** The step that measured stage `stageIndex` of `rows`: `count` items of equal e2e over `spanMs`. */
export function scenarioStep(rows: readonly StageRow[], stageIndex: number, values: StepValues): StepReport {
  const offsetMs = rows.slice(0, stageIndex).reduce((sum, [, durationMs]) => sum + durationMs, 0);
  const row = rows[stageIndex];
  if (row === undefined) throw new Error(`no stage ${stageIndex}`);
  const profile: StepProfile = {
    name: row[0],
    stageIndex,
    fromLevel: stageIndex === 0 ? 0 : (rows[stageIndex - 1]?.[2] ?? 0),
    toLevel: row[2],
    durationMs: row[1],
    offsetMs,
  };
  const recorder = new StepRecorder({ clock: () => T0 + offsetMs });
  const spanMs = values.spanMs ?? 1000;
  const failures = values.failures ?? 0;
  const spacingMs = values.count > 1 ? (spanMs - values.e2eMs) / (values.count - 1) : 0;
  for (let i = 0; i < values.count; i++) {
    const tArrivalMs = T0 + offsetMs + i * spacingMs;
    recorder.record({
      ok: i >= failures,
      ...(i < failures ? { errorClass: 'http_503' } : {}),
      tArrivalMs,
      tResponseMs: tArrivalMs + values.e2eMs,
      queueMs: 0,
      inferenceMs: values.e2eMs,
      batchSize: 1,
    });
  }
  const step = {
    index: stageIndex,
    stage: 'classify' as const,
    mode: 'dynamic' as const,
    batchSize: 8,
    concurrency: Math.max(profile.fromLevel, profile.toLevel),
    arrivals: null,
    maxQueueDelayMs: 5,
    maxNewTokens: 0,
    warmup: {},
    measure: { durationMs: row[1], maxDurationMs: row[1] },
  };
  return { ...buildStepReport(step, recorder.finish(), budget, values.complete ?? true), profile };
}

export function hostSample(tMs: number, rssBytes: number, heapUsedBytes: number, tfMemory: TfMemory | null = null): HostSample {
  return {
    tMs,
    processCpuPct: null,
    systemCpuPct: null,
    rssBytes,
    heapUsedBytes,
    eventLoopDelayP99Ms: null,
    netRxBytesPerSec: null,
    netTxBytesPerSec: null,
    tfMemory,
  };
}

export function hostReport(timeline: readonly HostSample[]): HostReport {
  const first = timeline[0];
  const last = timeline.at(-1);
  const peak = (pick: (s: HostSample) => number): number => Math.max(0, ...timeline.map(pick));
  return {
    intervalMs: 1000,
    samples: timeline.length,
    maxPoints: 1000,
    timeline,
    rssBytes: { start: first?.rssBytes ?? 0, end: last?.rssBytes ?? 0, peak: peak((s) => s.rssBytes) },
    heapUsedBytes: { start: first?.heapUsedBytes ?? 0, end: last?.heapUsedBytes ?? 0, peak: peak((s) => s.heapUsedBytes) },
    tfMemory: { start: first?.tfMemory ?? null, end: last?.tfMemory ?? null },
    netRxBytes: null,
    netTxBytes: null,
  };
}
