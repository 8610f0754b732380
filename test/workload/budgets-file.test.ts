import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadBudgetsFile, parseBudgetsFile } from '../../src/workload/budgets-file.js';
import { parseAlertRule } from '../../src/workload/budgets-schema.js';

const GUIDE = `performance_budgets:
  api_response_time: { p95: 300ms, p99: 500ms, degradation_threshold: 10% }
  ml_pipeline:       { p95: 3000ms, p99: 5000ms, degradation_threshold: 15% }
  error_rate:        { max: 1%, alert_threshold: 0.5% }
alerts:
  - p95(ml_pipeline_time) > 3500ms for 10m
  - error_rate > 1% for 5m
`;

function errorOf(text: string): InputError {
  try {
    parseBudgetsFile(text, 'budgets.yaml');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseBudgetsFile', () => {
  it("parses the guide's YAML unchanged into per-stage budgets", () => {
    const file = parseBudgetsFile(GUIDE, 'budgets.yaml');
    expect(file.source).toBe('budgets.yaml');
    expect(file.stages).toEqual({
      classify: { p95Ms: 300, p99Ms: 500, maxErrorRate: 0.01 },
      generate: { p95Ms: 300, p99Ms: 500, maxErrorRate: 0.01 },
      pipeline: { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 },
    });
    expect(file.degradationThreshold).toEqual({ classify: 0.1, generate: 0.1, pipeline: 0.15 });
    expect(file.errorRate).toEqual({ max: 0.01, alertThreshold: 0.005 });
    expect(file.alerts).toEqual([
      {
        text: 'p95(ml_pipeline_time) > 3500ms for 10m',
        metric: 'ml_pipeline_time',
        percentile: 'p95',
        op: '>',
        thresholdMs: 3500,
        forMs: 600_000,
      },
      { text: 'error_rate > 1% for 5m', metric: 'error_rate', op: '>', thresholdRatio: 0.01, forMs: 300_000 },
    ]);
  });

  it('lets a missing section borrow the other one and applies the defaults', () => {
    const file = parseBudgetsFile('performance_budgets:\n  ml_pipeline: { p95: 2s, p99: 4s }\n', 'b.yaml');
    expect(file.stages.classify).toEqual({ p95Ms: 2000, p99Ms: 4000, maxErrorRate: 0.01 });
    expect(file.stages.pipeline).toEqual({ p95Ms: 2000, p99Ms: 4000, maxErrorRate: 0.01 });
    expect(file.degradationThreshold).toEqual({ classify: 0.1, generate: 0.1, pipeline: 0.1 });
    expect(file.errorRate).toEqual({ max: 0.01, alertThreshold: 0.01 });
    expect(file.alerts).toEqual([]);
    const apiOnly = parseBudgetsFile(
      'performance_budgets:\n  api_response_time: { p95: 100, p99: 200, degradation_threshold: 0.2 }\n',
      'b.yaml',
    );
    expect(apiOnly.stages.pipeline.p95Ms).toBe(100);
    expect(apiOnly.degradationThreshold.pipeline).toBe(0.2);
  });

  it.each([
    [
      'performance_budgets:\n  ml_pipeline: { p95: fast, p99: 5000ms }\n',
      'budgets.yaml: performance_budgets.ml_pipeline.p95',
      'expected a positive duration such as "3000ms"',
      'got "fast"',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3000ms }\n',
      'budgets.yaml: performance_budgets.ml_pipeline.p99',
      'expected a positive duration',
      'got nothing',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3000ms, p99: 1000ms }\n',
      'budgets.yaml: performance_budgets.ml_pipeline.p99',
      'expected at least p95',
      '1000 ms',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3s, p99: 5s, p90: 2s }\n',
      'budgets.yaml: performance_budgets.ml_pipeline.p90',
      'unknown key "p90"',
      'allowed: p95, p99, degradation_threshold',
    ],
    [
      'performance_budget:\n  ml_pipeline: { p95: 3s, p99: 5s }\n',
      'budgets.yaml: performance_budget',
      'unknown key "performance_budget"',
      'allowed: performance_budgets, alerts',
    ],
    [
      'performance_budgets:\n  error_rate: { max: 1% }\n',
      'budgets.yaml: performance_budgets',
      'expected api_response_time or ml_pipeline',
      'got neither',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3s, p99: 5s }\n  error_rate: { max: 150% }\n',
      'budgets.yaml: performance_budgets.error_rate.max',
      'expected a percentage',
      'got "150%"',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3s, p99: 5s }\n  error_rate: { max: 1%, alert_threshold: 2% }\n',
      'budgets.yaml: performance_budgets.error_rate.alert_threshold',
      'expected at most max',
      '2%',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3s, p99: 5s, degradation_threshold: lots }\n',
      'budgets.yaml: performance_budgets.ml_pipeline.degradation_threshold',
      'expected a percentage',
      'got "lots"',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3s, p99: 5s }\nalerts:\n  - error_rate > 1% for 5m\n  - p99(ml_pipeline_time) > 3s for 1m\n',
      'budgets.yaml: alerts[1]',
      'unknown function "p99"',
      'p95(ml_pipeline_time) > 3500ms for 10m',
    ],
    [
      'performance_budgets:\n  ml_pipeline: { p95: 3s, p99: 5s }\nalerts: p95(ml_pipeline_time) > 3s for 1m\n',
      'budgets.yaml: alerts',
      'expected a list of alert rules',
      'got "p95',
    ],
    [
      'performance_budgets: [1, 2]\n',
      'budgets.yaml: performance_budgets',
      'expected a mapping with keys api_response_time, ml_pipeline, error_rate',
      'a list',
    ],
    ['', 'budgets.yaml: performance_budgets', 'expected a mapping', 'got nothing'],
    ['performance_budgets:\n  ml_pipeline: { p95: 3s\n', 'budgets.yaml:', 'invalid YAML', ''],
  ])('malformed %#: names %s', (text, where, message, detail) => {
    const error = errorOf(text);
    expect(error.where.startsWith(where)).toBe(true);
    if (!where.endsWith(':')) expect(error.where).toBe(where);
    expect(error.message).toContain(message);
    expect(error.message).toContain(detail);
    expect(error.exitCode).toBe(2);
  });
});

describe('parseAlertRule', () => {
  it.each([
    ['p95(api_response_time) >= 300ms for 30s', { metric: 'api_response_time', op: '>=', thresholdMs: 300, forMs: 30_000 }],
    ['  error_rate>0.5% for 1m ', { metric: 'error_rate', op: '>', thresholdRatio: 0.005, forMs: 60_000 }],
    ['throughput < 50 for 2m', { metric: 'throughput', op: '<', thresholdPerSec: 50, forMs: 120_000 }],
    ['p95( ml_pipeline_time ) <= 3s for 1h', { metric: 'ml_pipeline_time', op: '<=', thresholdMs: 3000, forMs: 3_600_000 }],
  ])('accepts %s', (text, expected) => {
    expect(parseAlertRule(text)).toMatchObject(expected);
  });

  it.each([
    ['p95(ml_pipeline_time) > 3500ms', 'is not "<metric> <op> <value> for <duration>"'],
    ['p95(ml_pipeline_time) > 3500ms for ever', '"for ever" is not a positive duration'],
    ['p95(gpu_time) > 3500ms for 10m', 'unknown metric "gpu_time"; metrics: ml_pipeline_time, api_response_time, error_rate, throughput'],
    ['ml_pipeline_time > 3500ms for 10m', 'needs a percentile: p95(ml_pipeline_time)'],
    ['avg(ml_pipeline_time) > 3500ms for 10m', 'unknown function "avg"'],
    ['p95(error_rate) > 1% for 10m', 'error_rate takes no function'],
    ['error_rate > lots for 10m', '"lots" is not a ratio'],
    ['throughput < many for 10m', '"many" is not a number of items/s'],
    ['p95(ml_pipeline_time) > slow for 10m', '"slow" is not a positive duration'],
    ['p95(ml pipeline) > 3s for 10m', 'is not a metric or p95(<metric>)'],
  ])('rejects %s, saying what is accepted', (text, why) => {
    const result = parseAlertRule(text);
    expect('error' in result).toBe(true);
    const message = 'error' in result ? result.error : '';
    expect(message).toContain(why);
    expect(message).toContain('expected a rule "p95(<ml_pipeline_time|api_response_time>)');
    expect(message).toContain(JSON.stringify(text));
  });
});

describe('loadBudgetsFile', () => {
  it('reads the sample workloads/budgets.yaml', async () => {
    const file = await loadBudgetsFile(join(import.meta.dirname, '..', '..', 'workloads', 'budgets.yaml'));
    expect(file.stages.pipeline).toEqual({ p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 });
    expect(file.stages.classify).toEqual({ p95Ms: 300, p99Ms: 500, maxErrorRate: 0.01 });
    expect(file.alerts.length).toBeGreaterThan(0);
  });

  it('names a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipebench-budgets-'));
    const path = join(dir, 'nope.yaml');
    await expect(loadBudgetsFile(path)).rejects.toThrow(`${path}: cannot read the budgets file (not found)`);
    await writeFile(join(dir, 'bad.yaml'), 'performance_budgets:\n  ml_pipeline: { p95: fast, p99: 5s }\n');
    await expect(loadBudgetsFile(join(dir, 'bad.yaml'))).rejects.toThrow(
      `${join(dir, 'bad.yaml')}: performance_budgets.ml_pipeline.p95: expected`,
    );
  });
});
