import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildRunReport } from '../../src/analysis/analyze-run.js';
import { renderJson } from '../../src/report/json.js';
import { parseAlertRule } from '../../src/workload/budgets-schema.js';
import { type AlertRule } from '../../src/core/alert-rule.js';
import { syntheticParts, syntheticReport } from './synthetic-run.js';

const schemaPath = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** The report as a reader of report.json sees it: parsed, mutable for the negative cases. */
function reportJson(): Record<string, unknown> & { steps: Record<string, unknown>[] } {
  return JSON.parse(renderJson(syntheticReport())) as Record<string, unknown> & { steps: Record<string, unknown>[] };
}

function errorsOf(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('schema/report.schema.json', () => {
  it('accepts a report built from synthetic measurements', () => {
    expect(errorsOf(reportJson())).toEqual([]);
    expect(errorsOf(JSON.parse(renderJson(syntheticReport({ partial: true }))))).toEqual([]);
  });

  it('accepts a native backend with its TensorFlow library and devices, and steps with a cold start', () => {
    const report = reportJson();
    const device = { name: '/job:localhost/replica:0/task:0/device:CPU:0', type: 'CPU', memoryBytes: 268435456 };
    const native = {
      tensorflowVersion: '2.21.0',
      cudaBuild: false,
      cudaVersion: null,
      cudnnVersion: null,
      devices: [device],
      builtFrom: 'pipebench setup native from x.whl',
    };
    report['backend'] = { ...(report['backend'] as object), name: 'tensorflow', package: '@tensorflow/tfjs-node', native };
    report.steps[0]!['coldStartMs'] = 412.5;
    report.steps[1]!['coldStartMs'] = null;
    expect(errorsOf(report)).toEqual([]);
    (report['backend'] as { native: typeof native }).native = { ...native, devices: [{ name: 'x', memoryBytes: 1 } as typeof device] };
    report.steps[0]!['coldStartMs'] = '412 ms';
    expect(errorsOf(report).some((e) => e.startsWith('/backend/native/devices'))).toBe(true);
    expect(errorsOf(report).some((e) => e.startsWith('/steps/0/coldStartMs '))).toBe(true);
  });

  it('rejects a step without batchSize', () => {
    const report = reportJson();
    delete report.steps[0]?.batchSize;
    expect(errorsOf(report)).toContain("/steps/0 must have required property 'batchSize'");
  });

  it('rejects mistyped and missing contract fields', () => {
    const cases: [string, (r: ReturnType<typeof reportJson>) => void][] = [
      ['/steps/1/batchSize', (r) => void (r.steps[1] && (r.steps[1].batchSize = '2'))],
      ['/steps/0/stage', (r) => void (r.steps[0] && (r.steps[0].stage = 'train'))],
      ['/steps/0/latencyMs/e2e', (r) => void delete (r.steps[0]?.latencyMs as { e2e: { p95?: number } }).e2e.p95],
      ['/steps/0/latencyMs/queue/p99', (r) => void ((r.steps[0]?.latencyMs as { queue: { p99: unknown } }).queue.p99 = '1 ms')],
      ['/steps/0/throughput', (r) => void delete (r.steps[0]?.throughput as { itemsPerSec?: number }).itemsPerSec],
      ['/steps/0/speedup', (r) => void (r.steps[0] && (r.steps[0].speedup = 'fast'))],
      ['/steps/0', (r) => void delete r.steps[0]?.efficiency],
      ['/steps/0/withinBudget', (r) => void (r.steps[0] && (r.steps[0].withinBudget = 1))],
      ['/steps/0/errors/byClass', (r) => void ((r.steps[0]?.errors as { byClass: unknown }).byClass = [])],
      ['/steps/0/errors', (r) => void delete (r.steps[0]?.errors as { total?: number }).total],
      ['', (r) => void delete r.recommendation],
      ['/partial', (r) => void (r.partial = 'no')],
      ['/schemaVersion', (r) => void (r.schemaVersion = 2)],
      ['/steps/0/bottleneck/verdict', (r) => void ((r.steps[0]?.bottleneck as { verdict: string }).verdict = 'slow')],
      ['/steps/0/bottleneck/evidence/0', (r) => void ((r.steps[0]?.bottleneck as { evidence: unknown[] }).evidence = [42])],
    ];
    for (const [path, breakIt] of cases) {
      const report = reportJson();
      breakIt(report);
      const errors = errorsOf(report);
      expect(errors.length, `expected an error at ${path}`).toBeGreaterThan(0);
      expect(
        errors.some((e) => e.startsWith(`${path} `)),
        `${path}: ${errors.join('; ')}`,
      ).toBe(true);
    }
  });

  it('lets the workload be a loose object', () => {
    const report = reportJson();
    report.workload = { name: 'x', anything: { nested: [1, 2] } };
    expect(errorsOf(report)).toEqual([]);
  });

  it('accepts every sign-off field: stability, repeats, e2e confidence, stage budgets, trade-offs, all alert kinds, search', () => {
    const rules = ['p95(api_response_time) > 1000ms for 2s', 'error_rate > 1% for 10m', 'throughput < 1 for 100ms'].map((text) => {
      const rule = parseAlertRule(text);
      if ('error' in rule) throw new Error(rule.error);
      return rule satisfies AlertRule;
    });
    const parts = syntheticParts();
    const loose = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.1 };
    const report = buildRunReport({
      ...parts,
      steps: parts.steps.map((step, i) =>
        i === 0
          ? {
              ...step,
              stability: { kind: 'unstable', reason: 'did not settle', p95Spread: 0.2, throughputSpread: null, extendedMs: 500 },
              repeats: { itemsPerSec: [99, 101], p95Ms: [5, null] },
            }
          : step,
      ),
      stageBudgets: { classify: parts.workload.budget, generate: loose, pipeline: loose },
      alertRules: rules,
      search: [
        {
          stage: 'classify',
          axis: 'batchSize',
          answer: null,
          stepsRun: 2,
          fullSweepSteps: 4,
          itemsMeasured: 300,
          fullSweepItemsEstimate: 600,
          tried: [{ value: 8, withinBudget: false }],
        },
      ],
    });
    expect(new Set(report.alerts.map((finding) => finding.kind))).toEqual(new Set(['fired', 'quiet', 'not-evaluated']));
    expect(report.tradeoffs.length).toBeGreaterThan(0);
    expect(errorsOf(JSON.parse(renderJson(report)))).toEqual([]);
    const broken = JSON.parse(renderJson(report)) as { steps: { e2eConfidence: { p95: Record<string, unknown> } }[] };
    delete broken.steps[0]?.e2eConfidence.p95.supported;
    expect(errorsOf(broken)).toContain("/steps/0/e2eConfidence/p95 must have required property 'supported'");
  });
});
