import { describe, expect, it } from 'vitest';
import { formatBytes, formatFactor, formatMs, formatPct, formatRate, formatRatio } from '../src/format.js';

describe('format', () => {
  it('ms picks ms or s by size and drops trailing zeros', () => {
    expect([0.423, 4.4, 4.0, 32.803, 481.8, 999.4, 3000, 3410, 12_345, 125_000].map(formatMs)).toEqual([
      '0.42 ms',
      '4.4 ms',
      '4 ms',
      '32.8 ms',
      '482 ms',
      '999 ms',
      '3 s',
      '3.41 s',
      '12.3 s',
      '125 s',
    ]);
  });

  it('rates use k and M with one fixed decimal', () => {
    expect([0.5, 25.33, 252.79, 28025.78, 32480.4, 1_250_000].map(formatRate)).toEqual(['0.5', '25.3', '253', '28.0k', '32.5k', '1.25M']);
  });

  it('percent, ratio, factor, bytes', () => {
    expect([0.0944, 0.0448, 0.777, 0].map(formatPct)).toEqual(['9.4 %', '4.5 %', '78 %', '0 %']);
    expect([1.94, 12.4].map(formatRatio)).toEqual(['1.9x', '12x']);
    expect([null, 0.8661].map(formatFactor)).toEqual(['-', '0.87']);
    expect([512, 1536, 67_430_000_000].map(formatBytes)).toEqual(['512 B', '1.5 KiB', '62.8 GiB']);
  });
});
