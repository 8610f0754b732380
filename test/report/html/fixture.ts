/**
 * The synthetic run (real recorder and builder) with what report.html draws filled in the way a
 * run fills it: per-stage budgets, trade-offs from the real analysis, a GPU timeline from the
 * recorded H100 trace moved onto the steps' clock.
 */
import { stageTradeoff } from '../../../src/analysis/tradeoff.js';
import type { RunReport } from '../../../src/core/report/run.js';
import { buildGpuTimeline } from '../../../src/telemetry/gpu-timeline.js';
import type { GpuTelemetryReport } from '../../../src/core/report/telemetry.js';
import { parseH100Trace } from '../../telemetry/fixtures.js';
import { budget, syntheticReport } from '../synthetic-run.js';

export const STAGE_BUDGETS = {
  classify: { p95Ms: 50, p99Ms: 80, maxErrorRate: 0.01 },
  generate: budget,
  pipeline: budget,
} as const;

export function gpuTelemetryOnSteps(report: RunReport): GpuTelemetryReport {
  const samples = parseH100Trace();
  const shiftMs = (report.steps[0]?.startedAtMs ?? 0) - (samples[0]?.tMs ?? 0);
  const moved = samples.map((s) => ({ ...s, tMs: s.tMs + shiftMs }));
  return {
    status: 'ok',
    reason: null,
    source: 'replay',
    inventory: null,
    inventoryReason: null,
    fields: null,
    intervalMs: 100,
    samples: moved.length,
    lines: { total: moved.length, samples: moved.length, garbage: 0, deviceErrors: 0 },
    stampCorrectionMs: 0,
    timeline: buildGpuTimeline(moved),
  };
}

export function chartReport(options: { gpu?: boolean } = {}): RunReport {
  const base = syntheticReport();
  const tradeoffs = (['classify', 'generate'] as const).map((stage) => stageTradeoff(stage, base.steps, STAGE_BUDGETS[stage]));
  const withTradeoffs: RunReport = {
    ...base,
    stageBudgets: STAGE_BUDGETS,
    tradeoffs,
    recommendation: tradeoffs.map((t) => t.recommendation),
    alerts: [],
    search: [],
  };
  return options.gpu === false ? withTradeoffs : { ...withTradeoffs, gpuTelemetry: gpuTelemetryOnSteps(withTradeoffs) };
}
