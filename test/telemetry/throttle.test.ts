import { describe, expect, it } from 'vitest';
import { decodeThrottleReasons, LOAD_THROTTLE_MASK, parseThrottleMask } from '../../src/telemetry/throttle.js';

describe('throttle reasons', () => {
  it('decodes the masks seen on the H100', () => {
    expect(decodeThrottleReasons(parseThrottleMask('0x0000000000000001')!)).toEqual(['gpu_idle']);
    expect(decodeThrottleReasons(parseThrottleMask('0x0000000000000004')!)).toEqual(['sw_power_cap']);
    expect(decodeThrottleReasons(parseThrottleMask('0x0000000000000000')!)).toEqual([]);
  });

  it('decodes several bits and names unknown ones', () => {
    expect(decodeThrottleReasons(0x1 | 0x4 | 0x40 | 0x100)).toEqual([
      'gpu_idle',
      'sw_power_cap',
      'hw_thermal_slowdown',
      'display_clock_setting',
    ]);
    expect(decodeThrottleReasons(0x200)).toEqual(['unknown_0x200']);
  });

  it('keeps bits above 31 visible as unknown and rejects words', () => {
    expect(decodeThrottleReasons(parseThrottleMask('0x0000010000000000')!)).toEqual(['unknown_0x80000000']);
    expect(parseThrottleMask('12')).toBe(12);
    expect(parseThrottleMask('Active')).toBeNull();
  });

  it('does not count gpu_idle as a load throttle', () => {
    expect(LOAD_THROTTLE_MASK & 0x1).toBe(0);
    expect(LOAD_THROTTLE_MASK & 0x4).toBe(0x4);
  });
});
