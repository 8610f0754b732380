/** Human text for `pipebench gpu info` and `pipebench gpu summarize`. Pure: returns strings. */
import { gpuStepNotes } from './gpu-notes.js';
import type { GpuInventoryResult, TimeZoneRule } from './types.js';
import type { GpuWindowSummary } from '../core/report/telemetry.js';

const GiB = 1024 ** 3;

export function renderGpuInventoryText(result: GpuInventoryResult): string {
  if (result.kind === 'unavailable') return `No GPU inventory: ${result.reason}\n`;
  const { inventory } = result;
  const lines = [
    `Driver ${inventory.driverVersion ?? '?'}, CUDA ${inventory.cudaVersion ?? '?'}, ${inventory.gpus.length} GPU${inventory.gpus.length === 1 ? '' : 's'}`,
  ];
  for (const gpu of inventory.gpus) {
    lines.push(`GPU ${gpu.index}  ${gpu.name ?? 'unknown'}${gpu.pciBusId === null ? '' : `  (${gpu.pciBusId})`}`);
    const facts = [
      `memory ${gpu.memTotalBytes === null ? '?' : `${(gpu.memTotalBytes / GiB).toFixed(1)} GiB`}`,
      `power limit ${gpu.powerLimitW === null ? '?' : `${gpu.powerLimitW.toFixed(0)} W`}`,
      `persistence ${gpu.persistence === null ? '?' : gpu.persistence ? 'on' : 'off'}`,
      `MIG ${gpu.migMode ?? 'n/a'}`,
      `ECC ${gpu.eccMode ?? 'n/a'}`,
    ];
    lines.push(`  ${facts.join(', ')}`);
    if (gpu.uuid !== null) lines.push(`  ${gpu.uuid}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `2026-11-26T18:49:00.100` in the given clock (no zone suffix for local time, as the trace prints). */
export function formatStamp(ms: number, timeZone: TimeZoneRule): string {
  if (timeZone.kind === 'offset') {
    const iso = new Date(ms + timeZone.offsetMinutes * 60_000).toISOString().slice(0, 23);
    return timeZone.offsetMinutes === 0 ? `${iso}Z` : `${iso}${offsetSuffix(timeZone.offsetMinutes)}`;
  }
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function offsetSuffix(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export interface WindowTextOptions {
  readonly fromMs: number;
  readonly toMs: number;
  readonly timeZone: TimeZoneRule;
}

export function renderGpuWindowText(summaries: readonly GpuWindowSummary[], options: WindowTextOptions): string {
  const seconds = (options.toMs - options.fromMs) / 1000;
  const lines = [
    `Window ${formatStamp(options.fromMs, options.timeZone)} .. ${formatStamp(options.toMs, options.timeZone)} (${seconds.toFixed(1)} s)`,
  ];
  if (summaries.length === 0) lines.push('No GPU samples in this window.');
  for (const s of summaries) {
    lines.push(`GPU ${s.gpuIndex}  ${s.name ?? ''}  (${s.samples} samples)`.trimEnd());
    lines.push(
      row(
        'utilisation',
        s.utilPct === null
          ? 'n/a'
          : `mean ${s.utilPct.mean.toFixed(0)} %, p95 ${s.utilPct.p95.toFixed(0)} %, max ${s.utilPct.max.toFixed(0)} % (time with a kernel running)`,
      ),
    );
    lines.push(
      row('memory util', s.memUtilPct === null ? 'n/a' : `mean ${s.memUtilPct.mean.toFixed(0)} %, max ${s.memUtilPct.max.toFixed(0)} %`),
    );
    lines.push(
      row(
        'memory used',
        s.memUsedPeakBytes === null
          ? 'n/a'
          : `peak ${(s.memUsedPeakBytes / GiB).toFixed(2)} GiB${s.memTotalBytes === null ? '' : ` of ${(s.memTotalBytes / GiB).toFixed(1)} GiB`}`,
      ),
    );
    lines.push(
      row(
        'power',
        s.powerW === null
          ? 'n/a'
          : `mean ${s.powerW.mean.toFixed(0)} W, max ${s.powerW.max.toFixed(0)} W${s.powerLimitW === null ? '' : ` (limit ${s.powerLimitW.toFixed(0)} W)`}`,
      ),
    );
    lines.push(
      row(
        'energy',
        s.energyJ === null
          ? 'n/a'
          : `${s.energyJ.toFixed(0)} J${s.energyPerItemJ === null ? '' : `, ${s.energyPerItemJ.toFixed(3)} J per item`}`,
      ),
    );
    lines.push(
      row(
        'SM clock',
        s.smClockMHz === null
          ? 'n/a'
          : `mean ${s.smClockMHz.mean.toFixed(0)} MHz, min ${s.smClockMHz.min.toFixed(0)}, max ${s.smClockMHz.max.toFixed(0)}`,
      ),
    );
    lines.push(row('temperature', s.tempMaxC === null ? 'n/a' : `max ${s.tempMaxC.toFixed(0)} C`));
    const reasons = s.throttleReasons.length === 0 ? 'none' : s.throttleReasons.join(', ');
    lines.push(
      row(
        'clock events',
        s.throttledShare === null ? 'n/a' : `${reasons}; held down under load in ${(s.throttledShare * 100).toFixed(0)} % of samples`,
      ),
    );
    for (const note of gpuStepNotes(s)) lines.push(`  note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(13)} ${value}`;
}
