/** report.md's budget part: one budget or each stage's when they differ, and the alert findings. */
import { describeFinding } from '../../analysis/alerts.js';
import { isUniform } from '../../workload/stage-budgets.js';
import { formatMs, formatPct } from '../../format.js';
import { STAGES } from '../../core/stage.js';
import type { Budget } from '../../core/workload.js';
import { renderTable, type Column } from './table.js';
import type { RunReport } from '../../core/report/run.js';

function describe(budget: Budget): string {
  return `p95 e2e ≤ ${formatMs(budget.p95Ms)}, p99 e2e ≤ ${formatMs(budget.p99Ms)}, error rate ≤ ${formatPct(budget.maxErrorRate)}`;
}

export function budgetSection(report: RunReport): string {
  const stageBudgets = report.stageBudgets;
  if (isUniform(stageBudgets)) return `## Budget\n\n${describe(stageBudgets.pipeline)}`;
  const stages = STAGES.filter((stage) => report.steps.some((step) => step.stage === stage));
  const shown = stages.length > 0 ? stages : STAGES;
  const columns: Column<(typeof STAGES)[number]>[] = [
    { header: 'stage', cell: (stage) => stage },
    { header: 'p95 e2e ≤', align: 'right', cell: (stage) => formatMs(stageBudgets[stage].p95Ms) },
    { header: 'p99 e2e ≤', align: 'right', cell: (stage) => formatMs(stageBudgets[stage].p99Ms) },
    { header: 'error rate ≤', align: 'right', cell: (stage) => formatPct(stageBudgets[stage].maxErrorRate) },
  ];
  return `## Budget\n\nEach stage is judged against its own budget:\n\n${renderTable(columns, shown)}`;
}

/** Every evaluated rule: fired ones first, then quiet, then those the steps were too short for. */
export function alertsSection(report: RunReport): string {
  if (report.alerts.length === 0) return '';
  const order = { fired: 0, quiet: 1, 'not-evaluated': 2 } as const;
  const findings = [...report.alerts].sort((a, b) => order[a.kind] - order[b.kind] || a.stepIndex - b.stepIndex);
  const fired = findings.filter((finding) => finding.kind === 'fired').length;
  const head = fired === 0 ? 'No alert rule fired.' : `**${fired} alert ${fired === 1 ? 'finding' : 'findings'} fired.**`;
  return [
    '## Alerts',
    '',
    head,
    '',
    ...findings.map((finding) => `- ${finding.kind === 'fired' ? '✗ ' : ''}${describeFinding(finding)}`),
  ].join('\n');
}
