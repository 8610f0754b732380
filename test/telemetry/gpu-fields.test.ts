import { describe, expect, it } from 'vitest';
import { DEFAULT_GPU_QUERY_FIELDS, fieldSpecFor, knownQueryFields, selectSupportedFields } from '../../src/telemetry/gpu-fields.js';
import { readH100 } from './fixtures.js';

describe('knownQueryFields', () => {
  it('reads names and aliases from the real H100 --help-query-gpu', () => {
    const known = knownQueryFields(readH100('help-query-gpu.txt'));
    expect(known.has('utilization.gpu')).toBe(true);
    expect(known.has('clocks.sm')).toBe(true);
    expect(known.has('clocks.current.sm')).toBe(true);
    expect(known.has('clocks_event_reasons.active')).toBe(true);
    expect(known.has('clocks_throttle_reasons.active')).toBe(true);
    expect(known.has('fan.speed')).toBe(true);
    expect(known.has('no.such.field')).toBe(false);
  });
});

describe('selectSupportedFields', () => {
  it('keeps every default field on driver 580', () => {
    const selection = selectSupportedFields(readH100('help-query-gpu.txt'));
    expect(selection.fields).toEqual(DEFAULT_GPU_QUERY_FIELDS);
    expect(selection.dropped).toEqual([]);
    expect(selection.renamed).toEqual([]);
  });

  it('asks an old driver for the throttle name it knows, and drops fields it lacks', () => {
    const oldDriverHelp = [
      '"timestamp"',
      '"index"',
      '"utilization.gpu"',
      '"power.draw"',
      '"clocks_throttle_reasons.active"',
      '"clocks.sm" or "clocks.current.sm"',
    ].join('\n');
    const selection = selectSupportedFields(oldDriverHelp, [
      'timestamp',
      'index',
      'utilization.gpu',
      'power.draw',
      'clocks_event_reasons.active',
      'clocks.sm',
      'memory.used',
    ]);
    expect(selection.fields).toEqual([
      'timestamp',
      'index',
      'utilization.gpu',
      'power.draw',
      'clocks_throttle_reasons.active',
      'clocks.sm',
    ]);
    expect(selection.renamed).toEqual([{ from: 'clocks_event_reasons.active', to: 'clocks_throttle_reasons.active' }]);
    expect(selection.dropped).toEqual(['memory.used']);
  });

  it('maps a newer-named request back when only the new name is known', () => {
    const selection = selectSupportedFields('"clocks_event_reasons.sw_power_cap"\n', ['clocks_throttle_reasons.sw_power_cap']);
    expect(selection.fields).toEqual(['clocks_event_reasons.sw_power_cap']);
  });

  it('keeps the wanted list when the help text is not recognisable', () => {
    expect(selectSupportedFields('garbage\n').fields).toEqual(DEFAULT_GPU_QUERY_FIELDS);
  });
});

describe('fieldSpecFor', () => {
  it('maps header names with units and canonical aliases', () => {
    expect(fieldSpecFor('clocks.current.sm [MHz]')?.key).toBe('smClockMHz');
    expect(fieldSpecFor('memory.used [MiB]')?.key).toBe('memUsedBytes');
    expect(fieldSpecFor('clocks_event_reasons.active')?.key).toBe('throttleMask');
    expect(fieldSpecFor('clocks_throttle_reasons.sw_power_cap')?.bit).toBe(0x4);
    expect(fieldSpecFor('fan.speed [%]')).toBeUndefined();
  });
});
