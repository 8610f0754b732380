/** report.md's host section: the harness process's memory, CPU, event loop and network over the run. */
import { formatBytes, formatMs, formatPct } from '../../format.js';
import type { HostReport, HostSample, TfMemory } from '../../core/report/telemetry.js';
import type { RunReport } from '../../core/report/run.js';

/** '' when the run has no host metrics. */
export function renderHostSection(report: RunReport): string {
  const host = report.host;
  if (host === null) return '';
  const lines = ['## Host', '', `- ${samplesLine(host)}`];
  lines.push(`- RSS (harness and its worker threads): ${span(host.rssBytes)}`);
  lines.push(`- Heap used (main thread): ${span(host.heapUsedBytes)}`);
  const tf = tfLine(host.tfMemory.start, host.tfMemory.end);
  if (tf !== null) lines.push(`- TF.js tensors (all model instances): ${tf}`);
  const cpu = cpuLine(host.timeline);
  if (cpu !== null) lines.push(`- CPU: ${cpu}`);
  const loop = maxOf(host.timeline, (s) => s.eventLoopDelayP99Ms);
  if (loop !== null) lines.push(`- Event-loop delay p99: ${formatMs(loop)} at worst (max over samples)`);
  if ((host.netRxBytes ?? 0) > 0 || (host.netTxBytes ?? 0) > 0) {
    lines.push(
      `- Network (all interfaces, loopback included): ${formatBytes(host.netRxBytes ?? 0)} received, ${formatBytes(host.netTxBytes ?? 0)} sent`,
    );
  }
  return lines.join('\n');
}

function samplesLine(host: HostReport): string {
  const every = `${host.samples} samples every ${formatMs(host.intervalMs)}`;
  // Means below come from the timeline: exact until it was folded to bucket extremes.
  return host.timeline.length < host.samples
    ? `${every} (timeline kept as ${host.timeline.length} points; means below are over those)`
    : every;
}

function span(range: { readonly start: number; readonly end: number; readonly peak: number }): string {
  return `${formatBytes(range.start)} -> ${formatBytes(range.end)} (peak ${formatBytes(range.peak)})`;
}

function tfLine(start: TfMemory | null, end: TfMemory | null): string | null {
  if (start === null || end === null) return null;
  return `${start.numTensors} -> ${end.numTensors} (${formatBytes(start.numBytes)} -> ${formatBytes(end.numBytes)})`;
}

function cpuLine(timeline: readonly HostSample[]): string | null {
  const processMean = meanOf(timeline, (s) => s.processCpuPct);
  const processPeak = maxOf(timeline, (s) => s.processCpuPct);
  const machineMean = meanOf(timeline, (s) => s.systemCpuPct);
  const parts: string[] = [];
  // processCpuPct counts cores (100 = one core busy); the machine's is a share of all cores.
  if (processMean !== null && processPeak !== null)
    parts.push(`process mean ${formatPct(processMean / 100)}, peak ${formatPct(processPeak / 100)} of one core`);
  if (machineMean !== null) parts.push(`machine mean ${formatPct(machineMean / 100)} of all cores`);
  return parts.length > 0 ? parts.join('; ') : null;
}

function meanOf(samples: readonly HostSample[], value: (s: HostSample) => number | null): number | null {
  const values = samples.flatMap((s) => {
    const v = value(s);
    return v === null ? [] : [v];
  });
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function maxOf(samples: readonly HostSample[], value: (s: HostSample) => number | null): number | null {
  let max: number | null = null;
  for (const s of samples) {
    const v = value(s);
    if (v !== null && (max === null || v > max)) max = v;
  }
  return max;
}
