import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/analysis/alerts.js';
import type { StageBudgets } from '../../src/workload/stage-budgets.js';
import { renderJunit, xml } from '../../src/report/junit.js';
import type { RunReport } from '../../src/core/report/run.js';
import { parseAlertRule } from '../../src/workload/budgets-schema.js';
import { type AlertRule } from '../../src/core/alert-rule.js';
import { syntheticReport } from './synthetic-run.js';
import { childrenNamed, parseXml, type XmlElement } from './xml-tree.js';

const budgets: StageBudgets = {
  classify: { p95Ms: 300, p99Ms: 1000, maxErrorRate: 0.01 },
  generate: { p95Ms: 300, p99Ms: 1000, maxErrorRate: 0.01 },
  pipeline: { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 },
};

function count(suite: XmlElement, child: string): number {
  return childrenNamed(suite, 'testcase').filter((c) => childrenNamed(c, child).length > 0).length;
}

function rule(text: string): AlertRule {
  const parsed = parseAlertRule(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

describe('renderJunit', () => {
  const report = syntheticReport();
  const root = parseXml(renderJunit(report, budgets));

  it('has one suite per stage and attributes that match the cases', () => {
    expect(root.name).toBe('testsuites');
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attrs['name'])).toEqual(['classify', 'generate']);
    for (const suite of suites) {
      expect(Number(suite.attrs['tests'])).toBe(childrenNamed(suite, 'testcase').length);
      expect(Number(suite.attrs['failures'])).toBe(count(suite, 'failure'));
      expect(Number(suite.attrs['skipped'])).toBe(count(suite, 'skipped'));
      expect(suite.attrs['errors']).toBe('0');
    }
    const [classify, generate] = suites as [XmlElement, XmlElement];
    expect([classify.attrs['tests'], classify.attrs['failures'], classify.attrs['skipped']]).toEqual(['12', '2', '0']);
    expect([generate.attrs['tests'], generate.attrs['failures'], generate.attrs['skipped']]).toEqual(['9', '3', '3']);
    expect([root.attrs['tests'], root.attrs['failures'], root.attrs['skipped']]).toEqual(['21', '5', '3']);
    expect(root.attrs['name']).toBe(`pipebench ${report.runId}`);
  });

  it('names each check and carries the numbers in failures', () => {
    const cases = childrenNamed(root, 'testsuite').flatMap((s) => childrenNamed(s, 'testcase'));
    expect(cases.slice(0, 3).map((c) => c.attrs['name'])).toEqual([
      'classify batch 1: p95 <= 300 ms',
      'classify batch 1: p99 <= 1000 ms',
      'classify batch 1: error rate <= 1 %',
    ]);
    const slow = report.steps.find((s) => s.stage === 'classify' && s.batchSize === 8)!;
    const failure = childrenNamed(
      cases.find((c) => c.attrs['name'] === 'classify batch 8: p95 <= 300 ms')!,
      'failure',
    )[0]!;
    expect(failure.attrs['message']).toBe(`p95 ${Number(slow.latencyMs.e2e!.p95.toFixed(1))} ms > 300 ms`);
    expect(failure.text).toBe(failure.attrs['message']);
    const erring = report.steps.find((s) => s.stage === 'generate' && s.batchSize === 2)!;
    const errorFailure = childrenNamed(
      cases.find((c) => c.attrs['name'] === 'generate batch 2: error rate <= 1 %')!,
      'failure',
    )[0]!;
    expect(errorFailure.attrs['message']).toBe(`error rate ${Number((erring.errors.rate * 100).toFixed(2))} % > 1 % (1 failed items)`);
    const skipped = childrenNamed(
      cases.find((c) => c.attrs['name'] === 'generate batch 4: p95 <= 300 ms')!,
      'skipped',
    )[0]!;
    expect(skipped.attrs['message']).toContain('did not complete');
    expect(
      childrenNamed(childrenNamed(root, 'testsuite')[0]!, 'properties')[0]!.children.map((p) => [p.attrs['name'], p.attrs['value']]),
    ).toEqual([
      ['budget.p95Ms', '300'],
      ['budget.p99Ms', '1000'],
      ['budget.maxErrorRate', '0.01'],
    ]);
  });

  it('passes everything under a loose budget', () => {
    const loose = { p95Ms: 60_000, p99Ms: 60_000, maxErrorRate: 0.5 };
    const doc = parseXml(renderJunit(report, { classify: loose, generate: loose, pipeline: loose }));
    expect([doc.attrs['tests'], doc.attrs['failures'], doc.attrs['skipped']]).toEqual(['21', '0', '3']);
  });

  it('tells steps apart that share a batch size', () => {
    const [first] = report.steps;
    const twin: RunReport = {
      ...report,
      steps: [first!, { ...first!, index: 9, concurrency: 16 }, { ...first!, index: 10, concurrency: 16 }],
    };
    const names = childrenNamed(childrenNamed(parseXml(renderJunit(twin, budgets)), 'testsuite')[0]!, 'testcase')
      .map((c) => c.attrs['name']!.split(':')[0])
      .filter((name, i, all) => all.indexOf(name) === i);
    expect(names).toEqual([
      'classify batch 1 dynamic concurrency 2',
      'classify batch 1 dynamic concurrency 16 step 9',
      'classify batch 1 dynamic concurrency 16 step 10',
    ]);
  });

  it('adds an alerts suite: fired fails, not evaluated is skipped', () => {
    const windows = [0, 1, 2].map((i) => ({ startMs: i * 1000, endMs: (i + 1) * 1000, completed: 1, errors: 0, e2eP95Ms: 5000 }));
    const subject = { index: 0, stage: 'pipeline' as const, batchSize: 2, windows };
    const findings = [
      evaluateRule(rule('p95(ml_pipeline_time) > 3500ms for 2s'), subject),
      evaluateRule(rule('p95(ml_pipeline_time) > 3500ms for 10m'), subject),
      evaluateRule(rule('throughput < 0.5 for 1s'), subject),
    ];
    const alerts = childrenNamed(parseXml(renderJunit(report, budgets, findings)), 'testsuite').find((s) => s.attrs['name'] === 'alerts')!;
    expect([alerts.attrs['tests'], alerts.attrs['failures'], alerts.attrs['skipped']]).toEqual(['3', '1', '1']);
    const cases = childrenNamed(alerts, 'testcase');
    expect(cases[0]!.attrs['name']).toBe('pipeline batch 2 (step 0): p95(ml_pipeline_time) > 3500ms for 2s');
    expect(childrenNamed(cases[1]!, 'skipped')[0]!.attrs['message']).toBe('not evaluated (step shorter than 10m)');
  });

  it('escapes hostile text so the document stays well-formed and reads back', () => {
    const hostile = `a<b>&c"d'e]]>\u0001\n</testsuites>`;
    const evil: RunReport = { ...report, runId: hostile, environment: { ...report.environment, hostname: '<!-- & -->' } };
    const finding = { ...evaluateRule(rule('throughput < 1 for 1s'), { index: 0, stage: 'classify', batchSize: 1, windows: [] }) };
    const withText = { ...finding, rule: { ...finding.rule, text: `x < "y" & 'z' \u0007` } };
    const doc = parseXml(renderJunit(evil, budgets, [withText]));
    expect(doc.attrs['name']).toBe(`pipebench a<b>&c"d'e]]>\uFFFD\n</testsuites>`);
    expect(childrenNamed(doc, 'testsuite')[0]!.attrs['hostname']).toBe('<!-- & -->');
    const alerts = childrenNamed(doc, 'testsuite').find((s) => s.attrs['name'] === 'alerts')!;
    expect(childrenNamed(alerts, 'testcase')[0]!.attrs['name']).toBe(`classify batch 1 (step 0): x < "y" & 'z' \uFFFD`);
  });

  it('xml() replaces lone surrogates and keeps pairs', () => {
    expect(xml('ok \u{1F600} \uD800 \uDC00')).toBe('ok \u{1F600} \uFFFD \uFFFD');
  });

  it('a complete step whose every item failed fails its checks with the numbers: never skipped, never green', () => {
    const [first] = report.steps;
    const failed = { ...first!, complete: true, completed: 0, latencyMs: {}, errors: { total: 12, rate: 1, byClass: { http_5xx: 12 } } };
    const doc = parseXml(renderJunit({ ...report, steps: [failed] }, budgets));
    expect([doc.attrs['tests'], doc.attrs['failures'], doc.attrs['skipped']]).toEqual(['3', '3', '0']);
    const cases = childrenNamed(childrenNamed(doc, 'testsuite')[0]!, 'testcase');
    expect(cases.map((c) => childrenNamed(c, 'failure')[0]?.attrs['message'])).toEqual([
      'p95 not measured (no successful item)',
      'p99 not measured (no successful item)',
      'error rate 100 % > 1 % (12 failed items)',
    ]);
  });

  it('renders an empty run as an empty, valid document', () => {
    const doc = parseXml(renderJunit({ ...report, steps: [] }, budgets));
    expect([doc.attrs['tests'], doc.attrs['failures'], doc.children.length]).toEqual(['0', '0', 0]);
  });
});
