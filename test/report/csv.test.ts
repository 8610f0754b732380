import { describe, expect, it } from 'vitest';
import { csvField, renderStepsCsv } from '../../src/report/csv.js';
import type { StepReport } from '../../src/core/report/step.js';
import { parseCsv } from './csv-reader.js';
import { syntheticReport } from './synthetic-run.js';

const HEADER = [
  'step',
  'stage',
  'mode',
  'batch_size',
  'concurrency',
  'target_rate_per_sec',
  'completed',
  'items_per_sec',
  'e2e_p50_ms',
  'e2e_p95_ms',
  'e2e_p99_ms',
  'e2e_p95_ci_low_ms',
  'e2e_p95_ci_high_ms',
  'e2e_samples',
  'e2e_p95_supported',
  'e2e_p99_supported',
  'stability',
  'queue_p50_ms',
  'inference_p50_ms',
  'server_p50_ms',
  'error_rate',
  'errors_by_class',
  'bottleneck',
  'bottleneck_evidence',
  'within_budget',
  'complete',
];

describe('renderStepsCsv', () => {
  const report = syntheticReport();

  it('writes a header and one row per step with the step table numbers', () => {
    const rows = parseCsv(renderStepsCsv(report));
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(report.steps.length + 1);
    rows.slice(1).forEach((row) => expect(row).toHaveLength(HEADER.length));
    const col = (name: string) => HEADER.indexOf(name);
    const step = report.steps[5]!;
    const row = rows[6]!;
    expect([row[col('stage')], row[col('batch_size')], row[col('concurrency')], row[col('target_rate_per_sec')]]).toEqual([
      'generate',
      '2',
      '4',
      '',
    ]);
    expect(Number(row[col('e2e_p95_ms')])).toBeCloseTo(step.latencyMs.e2e!.p95, 2);
    expect(Number(row[col('items_per_sec')])).toBeCloseTo(step.throughput.itemsPerSec, 2);
    expect(Number(row[col('error_rate')])).toBeCloseTo(step.errors.rate, 5);
    expect(row[col('errors_by_class')]).toBe('timeout=1');
    expect(row[col('server_p50_ms')]).toBe('');
    expect([row[col('within_budget')], rows[7]![col('complete')]]).toEqual([String(step.withinBudget), 'false']);
    // 18 single-item samples: too few for a p95 (90) or p99 (459); the interval's top is unbounded.
    expect([row[col('e2e_samples')], row[col('e2e_p95_supported')], row[col('e2e_p99_supported')]]).toEqual(['18', 'false', 'false']);
    expect(row[col('e2e_p95_ci_high_ms')]).toBe('');
    expect(row[col('stability')]).toBe('');
    expect([row[col('bottleneck')], row[col('bottleneck_evidence')]]).toEqual([
      step.bottleneck!.verdict,
      step.bottleneck!.evidence.join('; '),
    ]);
    expect(row[col('bottleneck')]).toBe('model-bound');
    const batch8 = rows[4]!;
    expect([batch8[col('e2e_samples')], batch8[col('e2e_p95_supported')], batch8[col('e2e_p99_supported')]]).toEqual([
      '4200',
      'true',
      'true',
    ]);
    expect(Number(batch8[col('e2e_p95_ci_low_ms')])).toBeLessThanOrEqual(Number(batch8[col('e2e_p95_ms')]));
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and reads back unchanged', () => {
    const first = report.steps[0]!;
    const hostile: StepReport = {
      ...first,
      errors: { total: 3, rate: 0.03, byClass: { 'b,"x"': 1, 'a\r\nb': 2, zero: 0 } },
      openLoop: {
        process: 'poisson',
        targetRatePerSec: 12.5,
        achievedRatePerSec: 12,
        maxInFlight: null,
        sends: 10,
        lateSends: 0,
        lateShare: 0,
        lateThresholdMs: 5,
        maxLateMs: 0,
      },
      concurrency: null,
    };
    const text = renderStepsCsv({ steps: [hostile] });
    expect(text).toContain('"a\r\nb=2;b,""x""=1"');
    const rows = parseCsv(text);
    expect(rows[1]![HEADER.indexOf('errors_by_class')]).toBe('a\r\nb=2;b,"x"=1');
    expect(rows[1]![HEADER.indexOf('target_rate_per_sec')]).toBe('12.5');
    expect(rows[1]![HEADER.indexOf('concurrency')]).toBe('');
  });

  it('csvField leaves plain values bare', () => {
    expect([csvField('plain'), csvField(3.5), csvField(true), csvField(null), csvField('say "hi"'), csvField('a\nb')]).toEqual([
      'plain',
      '3.5',
      'true',
      '',
      '"say ""hi"""',
      '"a\nb"',
    ]);
  });

  it('an empty run is the header alone', () => {
    expect(renderStepsCsv({ steps: [] })).toBe(`${HEADER.join(',')}\r\n`);
  });
});
