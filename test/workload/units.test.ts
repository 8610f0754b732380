import { describe, expect, it } from 'vitest';
import { describeValue, parseDurationMs, parseRatio } from '../../src/workload/units.js';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
    [' 2 s ', 2000],
    ['250', 250],
    [42, 42],
    [0, 0],
  ] as const)('%s -> %d ms', (input, ms) => {
    expect(parseDurationMs(input)).toBe(ms);
  });

  it.each(['abc', '-5s', '5 sec', '', '1e3s', 'ms'])('%s is not a duration', (input) => {
    expect(parseDurationMs(input)).toBeUndefined();
  });

  it('keeps a negative number for the caller to reject, but not NaN or infinity', () => {
    expect(parseDurationMs(-5)).toBe(-5);
    expect(parseDurationMs(Number.NaN)).toBeUndefined();
    expect(parseDurationMs(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDurationMs(true)).toBeUndefined();
  });
});

describe('parseRatio', () => {
  it.each([
    ['1%', 0.01],
    ['0.5 %', 0.005],
    ['150%', 1.5],
    ['0.02', 0.02],
    [0.1, 0.1],
    ['0', 0],
  ] as const)('%s -> %d', (input, ratio) => {
    expect(parseRatio(input)).toBeCloseTo(ratio, 12);
  });

  it.each(['abc', '%', '1%%', ''])('%s is not a ratio', (input) => {
    expect(parseRatio(input)).toBeUndefined();
  });
});

describe('describeValue', () => {
  it('quotes strings and names lists, mappings and empty values', () => {
    expect(describeValue('8')).toBe('"8"');
    expect(describeValue(0)).toBe('0');
    expect(describeValue([1, 2])).toBe('a list ([1,2])');
    expect(describeValue({ a: 1 })).toBe('a mapping');
    expect(describeValue(null)).toBe('null (an empty value)');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(57)}..."`);
  });
});
