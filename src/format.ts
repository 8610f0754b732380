/**
 * The one place numbers become text for people (reports, recommendations, progress). Internal
 * values stay in ms and items/s; units are chosen only here.
 */

/** Fixed decimals, then trailing zeros dropped: 4.40 -> "4.4", 3.00 -> "3". */
function trimmed(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

/** 0.42 ms, 4.4 ms, 32.8 ms, 481 ms, 3.41 s, 12.5 s, 125 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs < 1) return `${trimmed(ms, 2)} ms`;
  if (abs < 100) return `${trimmed(ms, 1)} ms`;
  if (abs < 1000) return `${trimmed(ms, 0)} ms`;
  const s = ms / 1000;
  if (abs < 10_000) return `${trimmed(s, 2)} s`;
  if (abs < 100_000) return `${trimmed(s, 1)} s`;
  return `${trimmed(s, 0)} s`;
}

/** Rates per second: 0.52, 25.3, 253, 28.0k, 1.25M (a fixed decimal after k/M keeps columns even). */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return String(perSec);
  const abs = Math.abs(perSec);
  if (abs < 10) return trimmed(perSec, 2);
  if (abs < 100) return trimmed(perSec, 1);
  if (abs < 1000) return perSec.toFixed(0);
  if (abs < 1_000_000) return `${(perSec / 1000).toFixed(1)}k`;
  return `${(perSec / 1_000_000).toFixed(2)}M`;
}

/** A fraction as percent: 0.094 -> "9 %", 0.0448 -> "4.5 %", 0.004 -> "0.4 %". */
export function formatPct(fraction: number): string {
  const pct = fraction * 100;
  return Math.abs(pct) < 10 ? `${trimmed(pct, 1)} %` : `${pct.toFixed(0)} %`;
}

/** A ratio: 1.9x, 12x. */
export function formatRatio(ratio: number): string {
  return Math.abs(ratio) < 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(0)}x`;
}

/** Speedup/efficiency cells: two decimals, "-" when unknown. */
export function formatFactor(value: number | null): string {
  return value === null ? '-' : value.toFixed(2);
}

/** Bytes in binary units: 512 B, 1.5 KiB, 62.8 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** TensorFlow's device names, short: "/job:localhost/replica:0/task:0/device:GPU:0" -> "GPU:0". */
export function formatDevices(devices: readonly { readonly name: string }[]): string {
  return devices.map((device) => device.name.replace(/^.*device:/, '')).join(', ');
}
