/** report.md's GPU parts: telemetry status, per-step GPU columns, notes, and the harness's own cost. */
import type { GpuWindowSummary } from '../../core/report/telemetry.js';
import { formatBytes, formatMs, formatPct } from '../../format.js';
import { renderTable, type Column } from './table.js';
import type { RunReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';

export interface GpuRow {
  readonly step: StepReport;
  readonly gpu: GpuWindowSummary;
}

const fixed = (value: number | null | undefined, digits: number, unit = ''): string =>
  value === null || value === undefined ? '-' : `${value.toFixed(digits)}${unit}`;

/** One GPU in one step: the local nvidia-smi table and a remote GPU's (DCGM, Triton) share these columns. */
export const GPU_COLUMNS: readonly Column<GpuRow>[] = [
  { header: 'batch', align: 'right', cell: (r) => String(r.step.batchSize) },
  { header: 'GPU', align: 'right', cell: (r) => String(r.gpu.gpuIndex) },
  {
    header: 'util mean / p95 / max',
    align: 'right',
    cell: (r) =>
      r.gpu.utilPct ? `${fixed(r.gpu.utilPct.mean, 0)} / ${fixed(r.gpu.utilPct.p95, 0)} / ${fixed(r.gpu.utilPct.max, 0)} %` : '-',
  },
  { header: 'kernel busy', align: 'right', cell: (r) => (r.gpu.busyShare === null ? '-' : formatPct(r.gpu.busyShare)) },
  { header: 'queue mean', align: 'right', cell: (r) => (r.gpu.queueMsMean === null ? '-' : formatMs(r.gpu.queueMsMean)) },
  { header: 'mem peak', align: 'right', cell: (r) => (r.gpu.memUsedPeakBytes === null ? '-' : formatBytes(r.gpu.memUsedPeakBytes)) },
  {
    header: 'power mean / max',
    align: 'right',
    cell: (r) => (r.gpu.powerW ? `${fixed(r.gpu.powerW.mean, 0)} / ${fixed(r.gpu.powerW.max, 0)} W` : '-'),
  },
  { header: 'energy/item', align: 'right', cell: (r) => fixed(r.gpu.energyPerItemJ, 3, ' J') },
  {
    header: 'SM clock mean / min',
    align: 'right',
    cell: (r) => (r.gpu.smClockMHz ? `${fixed(r.gpu.smClockMHz.mean, 0)} / ${fixed(r.gpu.smClockMHz.min, 0)} MHz` : '-'),
  },
  { header: 'temp max', align: 'right', cell: (r) => fixed(r.gpu.tempMaxC, 0, ' °C') },
  { header: 'throttle reasons', cell: (r) => r.gpu.throttleReasons.filter((reason) => reason !== 'gpu_idle').join(', ') || '-' },
];

/** The GPU table under a stage's step table; empty when no step has GPU samples. */
export function stageGpuSection(steps: readonly StepReport[]): string {
  const rows = steps.flatMap((step) => (step.gpu?.gpus ?? []).filter((gpu) => gpu.samples > 0).map((gpu) => ({ step, gpu })));
  if (rows.length === 0) return '';
  const notes = steps.flatMap((step) => (step.gpu?.notes ?? []).map((note) => `- batch ${step.batchSize}: ${note}`));
  return [
    `GPU during each measured step (utilisation is time with a kernel running, not SM occupancy):`,
    '',
    renderTable(GPU_COLUMNS, rows),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}

export function gpuTelemetrySection(report: RunReport): string {
  const t = report.gpuTelemetry;
  if (t === null) return '';
  const lines = ['## GPU telemetry', ''];
  lines.push(`- Status: ${t.status}${t.reason ? ` (${t.reason})` : ''}${t.source ? `, source ${t.source}` : ''}, ${t.samples} samples`);
  if (t.inventory) {
    lines.push(`- Driver ${t.inventory.driverVersion ?? '?'}, CUDA ${t.inventory.cudaVersion ?? '?'}`);
    for (const gpu of t.inventory.gpus)
      lines.push(
        `  - GPU ${gpu.index}: ${gpu.name ?? '?'}, ${gpu.memTotalBytes === null ? '?' : formatBytes(gpu.memTotalBytes)}, power limit ${fixed(gpu.powerLimitW, 0, ' W')}`,
      );
  }
  const h = report.harnessHealth;
  if (h) {
    const loop = h.eventLoopDelay ? `event-loop delay p99 ${formatMs(h.eventLoopDelay.p99Ms)}` : 'event-loop delay not measured';
    const sampling = h.gpuSampling?.parseUsPerSample ? `, GPU sample parsing ${h.gpuSampling.parseUsPerSample.toFixed(0)} µs/sample` : '';
    lines.push(`- Harness: CPU ${formatPct(h.cpuShare)} of one core, ${loop}${sampling}`);
  }
  return lines.join('\n');
}
