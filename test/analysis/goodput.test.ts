import { describe, expect, it } from 'vitest';
import { goodput } from '../../src/analysis/goodput.js';
import { createHistogram, encodeHistogram, recordUs } from '../../src/metrics/histogram.js';

function e2e(valuesUs: readonly number[]): string {
  const histogram = createHistogram();
  for (const value of valuesUs) recordUs(histogram, value);
  return encodeHistogram(histogram);
}

describe('goodput', () => {
  it('counts items at or below the target per measured second', () => {
    // 100 items over 2 s; 80 at 4 ms, 20 at 12 ms; target 10 ms.
    const values = [...Array.from({ length: 80 }, () => 4000), ...Array.from({ length: 20 }, () => 12_000)];
    const result = goodput({ completed: 100, measuredMs: 2000, histograms: { e2e: e2e(values) } }, 10);
    expect(result).toEqual({ targetMs: 10, itemsPerSec: 40, metShare: 0.8 });
  });

  it('a sample exactly at the target counts as met; one clearly above does not', () => {
    const at = goodput({ completed: 1, measuredMs: 1000, histograms: { e2e: e2e([10_000]) } }, 10);
    expect(at?.metShare).toBe(1);
    const above = goodput({ completed: 1, measuredMs: 1000, histograms: { e2e: e2e([10_050]) } }, 10);
    expect(above?.metShare).toBe(0);
  });

  it('scales to completed items when the histogram holds one sample per request of 4 items', () => {
    const values = [1000, 1000, 1000, 50_000]; // 4 requests, 16 items
    const result = goodput({ completed: 16, measuredMs: 1000, histograms: { e2e: e2e(values) } }, 10);
    expect(result?.itemsPerSec).toBe(12);
  });

  it('all within, none within, all equal', () => {
    const values = Array.from({ length: 50 }, () => 2000);
    expect(goodput({ completed: 50, measuredMs: 500, histograms: { e2e: e2e(values) } }, 3)?.itemsPerSec).toBe(100);
    expect(goodput({ completed: 50, measuredMs: 500, histograms: { e2e: e2e(values) } }, 1)?.itemsPerSec).toBe(0);
  });

  it('null without a histogram, with an empty one, or with no measured time', () => {
    expect(goodput({ completed: 0, measuredMs: 1000, histograms: {} }, 10)).toBeNull();
    expect(goodput({ completed: 0, measuredMs: 1000, histograms: { e2e: e2e([]) } }, 10)).toBeNull();
    expect(goodput({ completed: 1, measuredMs: 0, histograms: { e2e: e2e([1000]) } }, 10)).toBeNull();
  });
});
