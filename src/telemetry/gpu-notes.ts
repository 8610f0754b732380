/**
 * Plain-language notes on a step's GPU summary, for report.md: a GPU left idle while items queue
 * (the host side is the bottleneck), and clocks held down by a power or thermal limit. Pure.
 */
import type { GpuWindowSummary } from '../core/report/telemetry.js';

export interface GpuNoteThresholds {
  /** busyShare below this counts as low utilisation (default 0.5). */
  readonly lowBusyShare: number;
  /** Mean queue time above this counts as items waiting (default 5 ms). */
  readonly queueMsMean: number;
  /** Share of samples with a load throttle reason above this is worth a note (default 0.1). */
  readonly throttledShare: number;
}

export const DEFAULT_GPU_NOTE_THRESHOLDS: GpuNoteThresholds = { lowBusyShare: 0.5, queueMsMean: 5, throttledShare: 0.1 };

const pct = (share: number): string => `${Math.round(share * 100)} %`;

export function gpuStepNotes(summary: GpuWindowSummary, thresholds: GpuNoteThresholds = DEFAULT_GPU_NOTE_THRESHOLDS): string[] {
  const notes: string[] = [];
  const gpu = `GPU ${summary.gpuIndex}`;
  if (
    summary.busyShare !== null &&
    summary.queueMsMean !== null &&
    summary.busyShare < thresholds.lowBusyShare &&
    summary.queueMsMean > thresholds.queueMsMean
  ) {
    notes.push(
      `${gpu} ran a kernel only ${pct(summary.busyShare)} of the step while items waited ${summary.queueMsMean.toFixed(1)} ms on average in the queue: ` +
        'the host side (batching, tokenisation, dispatch) holds the GPU back, not the GPU itself.',
    );
  }
  const loadReasons = summary.throttleReasons.filter((reason) => reason !== 'gpu_idle');
  if (summary.throttledShare !== null && summary.throttledShare > thresholds.throttledShare && loadReasons.length > 0) {
    const clocks =
      summary.smClockMHz === null
        ? ''
        : ` SM clock ${summary.smClockMHz.min.toFixed(0)}-${summary.smClockMHz.max.toFixed(0)} MHz (mean ${summary.smClockMHz.mean.toFixed(0)});`;
    const power =
      summary.powerW === null || summary.powerLimitW === null
        ? ''
        : ` power up to ${summary.powerW.max.toFixed(0)} W of a ${summary.powerLimitW.toFixed(0)} W limit;`;
    notes.push(
      `${gpu} clocks were throttled (${loadReasons.join(', ')}) in ${pct(summary.throttledShare)} of samples:${clocks}${power} throughput here is capped by the board, not the batch size.`,
    );
  }
  return notes;
}
