import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { syntheticReport } from './synthetic-run.js';

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
    ];
    for (const [path, breakIt] of cases) {
      const report = reportJson();
      breakIt(report);
      const errors = errorsOf(report);
      expect(errors.length, `expected an error at ${path}`).toBeGreaterThan(0);
      expect(errors.some((e) => e.startsWith(`${path} `)), `${path}: ${errors.join('; ')}`).toBe(true);
    }
  });

  it('lets the workload be a loose object', () => {
    const report = reportJson();
    report.workload = { name: 'x', anything: { nested: [1, 2] } };
    expect(errorsOf(report)).toEqual([]);
  });
});
