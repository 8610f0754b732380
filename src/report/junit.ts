/**
 * junit.xml for CI: one <testsuite> per stage, one <testcase> per budget check (p95, p99, error
 * rate) per step, failures carrying the numbers ("p95 412.3 ms > 300 ms"). A step that did not
 * complete (interrupted, or recorded no item) is <skipped> with the reason; a step whose every
 * item failed did complete, and fails its checks (error rate 100 %, no latency measured). Alert
 * findings, when any, form an "alerts" suite: fired is a failure, not evaluated is skipped.
 * Pure: returns the document as a string.
 */
import type { AlertFinding } from '../core/report/verdicts.js';
import { checkBudget } from '../analysis/budget.js';
import type { StageBudgets } from '../workload/stage-budgets.js';
import { STAGES } from '../core/stage.js';
import type { Budget } from '../core/workload.js';
import type { RunReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';
import type { BudgetCheck } from '../core/report/verdicts.js';

type Outcome =
  | { readonly kind: 'passed' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'skipped'; readonly message: string };

interface TestCase {
  readonly name: string;
  readonly outcome: Outcome;
}

interface Suite {
  readonly name: string;
  readonly timeSec: number;
  readonly properties: readonly (readonly [string, string])[];
  readonly cases: readonly TestCase[];
}

const INCOMPLETE = 'step did not complete (interrupted, or recorded no item); not judged';

/** Judged by the report's own stage budgets and alert findings unless others are given. */
export function renderJunit(
  report: RunReport,
  stageBudgets: StageBudgets = report.stageBudgets,
  alerts: readonly AlertFinding[] = report.alerts,
): string {
  const suites: Suite[] = STAGES.filter((stage) => report.steps.some((step) => step.stage === stage)).map((stage) => {
    const steps = report.steps.filter((step) => step.stage === stage);
    const budget = stageBudgets[stage];
    const labels = stepLabels(steps);
    return {
      name: stage,
      timeSec: steps.reduce((sum, step) => sum + step.measuredMs, 0) / 1000,
      properties: [
        ['budget.p95Ms', String(budget.p95Ms)],
        ['budget.p99Ms', String(budget.p99Ms)],
        ['budget.maxErrorRate', String(budget.maxErrorRate)],
      ],
      cases: steps.flatMap((step, i) => budgetCases(labels[i] ?? `${stage} batch ${step.batchSize}`, step, budget)),
    };
  });
  if (alerts.length > 0) suites.push({ name: 'alerts', timeSec: 0, properties: [], cases: alerts.map(alertCase) });
  return renderDocument(`pipebench ${report.runId}`, report.environment.hostname, suites);
}

function budgetCases(label: string, step: StepReport, budget: Budget): TestCase[] {
  const check = checkBudget(step, budget);
  const e2e = step.latencyMs.e2e;
  const cases: readonly (readonly [keyof BudgetCheck, string, string])[] = [
    ['p95', `p95 <= ${ms(budget.p95Ms)}`, e2e ? `p95 ${ms(e2e.p95)} > ${ms(budget.p95Ms)}` : 'p95 not measured (no successful item)'],
    ['p99', `p99 <= ${ms(budget.p99Ms)}`, e2e ? `p99 ${ms(e2e.p99)} > ${ms(budget.p99Ms)}` : 'p99 not measured (no successful item)'],
    [
      'errorRate',
      `error rate <= ${pct(budget.maxErrorRate)}`,
      `error rate ${pct(step.errors.rate)} > ${pct(budget.maxErrorRate)} (${step.errors.total} failed items)`,
    ],
  ];
  return cases.map(([key, name, failure]) => ({
    name: `${label}: ${name}`,
    outcome: !step.complete
      ? { kind: 'skipped', message: INCOMPLETE }
      : check[key]
        ? { kind: 'passed' }
        : { kind: 'failed', message: failure },
  }));
}

function alertCase(finding: AlertFinding): TestCase {
  const name = `${finding.stage} batch ${finding.batchSize} (step ${finding.stepIndex}): ${finding.rule.text}`;
  switch (finding.kind) {
    case 'fired':
      return {
        name,
        outcome: {
          kind: 'failed',
          message: `fired ${round(finding.firedAfterMs / 1000)} s into the step, held ${round(finding.breachedMs / 1000)} s`,
        },
      };
    case 'quiet':
      return { name, outcome: { kind: 'passed' } };
    case 'not-evaluated':
      return { name, outcome: { kind: 'skipped', message: `not evaluated (${finding.reason})` } };
  }
}

/** "classify batch 8"; steps sharing a batch size also name their mode and load level, then index. */
function stepLabels(steps: readonly StepReport[]): string[] {
  const base = steps.map((step) => `${step.stage} batch ${step.batchSize}`);
  const withLoad = steps.map((step, i) => {
    const label = base[i] ?? '';
    if (base.filter((other) => other === label).length < 2) return label;
    const load = step.openLoop
      ? `rate ${step.openLoop.targetRatePerSec}/s`
      : step.concurrency === null
        ? 'open loop'
        : `concurrency ${step.concurrency}`;
    return `${label} ${step.mode} ${load}`;
  });
  return withLoad.map((label, i) =>
    withLoad.filter((other) => other === label).length < 2 ? label : `${label} step ${steps[i]?.index ?? i}`,
  );
}

function renderDocument(name: string, hostname: string, suites: readonly Suite[]): string {
  const count = (suite: Suite, kind: Outcome['kind']) => suite.cases.filter((c) => c.outcome.kind === kind).length;
  const totals = suites.reduce(
    (sum, suite) => ({
      tests: sum.tests + suite.cases.length,
      failures: sum.failures + count(suite, 'failed'),
      skipped: sum.skipped + count(suite, 'skipped'),
      timeSec: sum.timeSec + suite.timeSec,
    }),
    { tests: 0, failures: 0, skipped: 0, timeSec: 0 },
  );
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${seconds(totals.timeSec)}">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${xml(suite.name)}" tests="${suite.cases.length}" failures="${count(suite, 'failed')}" errors="0" skipped="${count(suite, 'skipped')}" time="${seconds(suite.timeSec)}" hostname="${xml(hostname)}">`,
    );
    if (suite.properties.length > 0) {
      lines.push('    <properties>');
      for (const [key, value] of suite.properties) lines.push(`      <property name="${xml(key)}" value="${xml(value)}"/>`);
      lines.push('    </properties>');
    }
    for (const testCase of suite.cases) lines.push(...renderCase(`pipebench.${suite.name}`, testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function renderCase(classname: string, testCase: TestCase): string[] {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(testCase.name)}"`;
  const { outcome } = testCase;
  switch (outcome.kind) {
    case 'passed':
      return [`${open}/>`];
    case 'failed':
      return [
        `${open}>`,
        `      <failure type="budget" message="${xml(outcome.message)}">${xml(outcome.message)}</failure>`,
        '    </testcase>',
      ];
    case 'skipped':
      return [`${open}>`, `      <skipped message="${xml(outcome.message)}"/>`, '    </testcase>'];
  }
}

const XML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' } as const satisfies Record<string, string>;

/**
 * Text safe in XML 1.0 element content and attribute values: the five entities escaped, characters
 * XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, and line
 * breaks kept as character references so attribute values survive normalisation.
 */
export function xml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => XML_ENTITIES[c as keyof typeof XML_ENTITIES])
    .replace(
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** "412.3 ms"; two decimals under 10 ms, so a 0.01 ms budget does not read "0 ms". */
function ms(value: number): string {
  return `${Math.abs(value) < 10 ? Number(value.toFixed(2)) : round(value)} ms`;
}

function pct(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))} %`;
}

function round(value: number): number {
  return Number(value.toFixed(1));
}

function seconds(value: number): string {
  return value.toFixed(3);
}
