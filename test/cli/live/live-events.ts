/**
 * A real event stream for the live consumers: a two-stage spike scenario (hold 50 in flight, then
 * spike-up 50->500) whose windows come from the real recorder, step reports from the real builder,
 * and a run-end with the synthetic run's report. The windows are the recorder's: each step's last one
 * is a short tail. Each event comes with the time it is emitted at.
 */
import { StepRecorder } from '../../../src/metrics/recorder.js';
import type { WindowStat } from '../../../src/core/measurement.js';
import { buildStepReport } from '../../../src/analysis/analyze-run.js';
import type { RunEvent } from '../../../src/runner/events.js';
import type { HostSample } from '../../../src/core/report/telemetry.js';
import type { Step, StepProfile } from '../../../src/core/workload.js';
import { budget, syntheticReport } from '../../report/synthetic-run.js';

export const T0 = 1_750_000_000_000;
export const RUN_ID = '2026-01-01T00-00-00Z-spike';

export interface TimedEvent {
  readonly atMs: number;
  readonly event: RunEvent;
}

export function scenarioStep(index: number, profile: StepProfile): Step {
  return {
    index,
    stage: 'classify',
    mode: 'dynamic',
    batchSize: 8,
    concurrency: Math.max(profile.fromLevel, profile.toLevel),
    arrivals: null,
    maxQueueDelayMs: 5,
    maxNewTokens: 64,
    warmup: {},
    measure: { durationMs: profile.durationMs, maxDurationMs: profile.durationMs },
    profile,
  };
}

export const HOLD = scenarioStep(0, { name: 'hold', stageIndex: 0, fromLevel: 50, toLevel: 50, durationMs: 2000, offsetMs: 0 });
export const SPIKE = scenarioStep(1, { name: 'spike-up', stageIndex: 1, fromLevel: 50, toLevel: 500, durationMs: 120_000, offsetMs: 2000 });

export function hostAt(tMs: number, rssBytes: number): HostSample {
  return {
    tMs,
    processCpuPct: 85,
    systemCpuPct: 40,
    rssBytes,
    heapUsedBytes: 64 * 1024 * 1024,
    eventLoopDelayP99Ms: 12.5,
    netRxBytesPerSec: null,
    netTxBytesPerSec: null,
    tfMemory: null,
  };
}

/**
 * `perWindow` items per 1 s window from `startMs`, e2e latencies cycling through `latenciesMs`;
 * every `failEvery`-th item fails (0 = none).
 */
function measured(startMs: number, windows: number, perWindow: number, latenciesMs: readonly number[], failEvery = 0) {
  const recorder = new StepRecorder({ clock: () => startMs });
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < perWindow; i++) {
      const e2eMs = latenciesMs[i % latenciesMs.length]!;
      const tResponseMs = startMs + w * 1000 + ((i + 0.5) * 1000) / perWindow;
      const fails = failEvery > 0 && i % failEvery === failEvery - 1;
      recorder.record({
        ok: !fails,
        ...(fails ? { errorClass: 'timeout' } : {}),
        tArrivalMs: tResponseMs - e2eMs,
        tResponseMs,
        queueMs: e2eMs / 2,
        inferenceMs: e2eMs / 2,
        batchSize: 8,
      });
    }
  }
  return recorder.finish();
}

/** hold: 2 windows of 100 items at 10-30 ms; spike-up: 2 windows of 200 items at 100-400 ms, 1 in 50 failing. */
export function spikeRunEvents(): TimedEvent[] {
  const hold = measured(T0, 2, 100, [10, 20, 30]);
  const spike = measured(T0 + 2000, 2, 200, [100, 200, 300, 400], 50);
  const events: TimedEvent[] = [
    {
      atMs: T0 - 500,
      event: { kind: 'run-start', runId: RUN_ID, outDir: '/out/run', steps: [HOLD, SPIKE], backend: 'wasm', repeat: 1, search: false },
    },
    { atMs: T0, event: { kind: 'step-start', step: HOLD, of: 2, repeat: null } },
  ];
  const windowEvent = (step: Step, window: WindowStat, level: number, gpuUtilPct: number | null, rssBytes: number): TimedEvent => ({
    atMs: window.endMs,
    event: {
      kind: 'window',
      step,
      window,
      level,
      gpuUtilPct,
      gpuPowerW: gpuUtilPct === null ? null : gpuUtilPct * 7,
      host: hostAt(window.endMs, rssBytes),
    },
  });
  hold.windows.forEach((window) => events.push(windowEvent(HOLD, window, 50, 40, 300 * 1024 * 1024)));
  events.push({ atMs: T0 + 2000, event: { kind: 'step-end', step: HOLD, report: buildStepReport(HOLD, hold, budget, true) } });
  events.push({ atMs: T0 + 2000, event: { kind: 'step-start', step: SPIKE, of: 2, repeat: null } });
  events.push({ atMs: T0 + 2500, event: { kind: 'warning', message: '3.0 % of sends were late' } });
  const spikeLevels = [56, 62, 63];
  spike.windows.forEach((window, i) => events.push(windowEvent(SPIKE, window, spikeLevels[i]!, 97, 400 * 1024 * 1024)));
  events.push({ atMs: T0 + 4000, event: { kind: 'step-end', step: SPIKE, report: buildStepReport(SPIKE, spike, budget, true) } });
  events.push({
    atMs: T0 + 4100,
    event: { kind: 'run-end', report: { ...syntheticReport(), runId: RUN_ID }, files: ['/out/run/report.json', '/out/run/report.md'] },
  });
  return events;
}
