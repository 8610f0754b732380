/** nvml clock event ("throttle") reasons: the bitmask nvidia-smi prints, decoded to names. */

export const THROTTLE_REASON_BITS = {
  gpu_idle: 0x1,
  applications_clocks_setting: 0x2,
  sw_power_cap: 0x4,
  hw_slowdown: 0x8,
  sync_boost: 0x10,
  sw_thermal_slowdown: 0x20,
  hw_thermal_slowdown: 0x40,
  hw_power_brake_slowdown: 0x80,
  display_clock_setting: 0x100,
} as const satisfies Record<string, number>;

export type ThrottleReason = keyof typeof THROTTLE_REASON_BITS;

const REASONS = Object.entries(THROTTLE_REASON_BITS) as [ThrottleReason, number][];
const KNOWN_BITS = REASONS.reduce((mask, [, bit]) => mask | bit, 0);

/** Reasons that mean clocks were held down under load (gpu_idle only means nothing ran). */
export const LOAD_THROTTLE_MASK = KNOWN_BITS & ~THROTTLE_REASON_BITS.gpu_idle;

/** Names of the set bits, in bit order; bits nvml has not defined read `unknown_0x...`. */
export function decodeThrottleReasons(mask: number): string[] {
  const names: string[] = REASONS.filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name);
  const unknown = (mask & ~KNOWN_BITS) >>> 0;
  if (unknown !== 0) names.push(`unknown_0x${unknown.toString(16)}`);
  return names;
}

/**
 * Parse `0x0000000000000004` (or a decimal) into a number. nvml defines reasons in the low bits
 * only; any bit above 31 is kept as bit 31, so it still decodes as an unknown reason.
 */
export function parseThrottleMask(text: string): number | null {
  const trimmed = text.trim();
  if (/^0x[0-9a-f]+$/i.test(trimmed)) {
    const value = BigInt(trimmed);
    const low = Number(value & 0xffff_ffffn);
    return value > 0xffff_ffffn ? (low | 0x8000_0000) >>> 0 : low;
  }
  if (/^\d+$/.test(trimmed)) return Number(trimmed) >>> 0;
  return null;
}
