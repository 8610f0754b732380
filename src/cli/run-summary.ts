/**
 * The few lines a run prints on stdout when it ends: verdict, the recommendation sentence per stage,
 * any percentile the samples cannot support and any unstable step (a scenario: its verdict
 * sentence instead), warnings, files.
 */
import { honestySummary } from '../report/markdown-honesty.js';
import { recommendationSentences } from '../report/markdown-tradeoff.js';
import type { RunReport } from '../report/types.js';

export function renderRunSummary(report: RunReport, files: readonly string[]): string {
  const lines: string[] = [];
  const status = report.partial ? `partial (interrupted by ${report.interruptedBy ?? 'an error'})` : 'complete';
  const scenario = report.scenario;
  if (scenario) {
    // A scenario passes or fails on its verdict; per-step sample honesty is in report.md's stage table.
    lines.push(`run ${report.runId}: ${status}; ${scenario.kind} scenario ${scenario.verdict.passed ? 'passed' : 'FAILED'}`);
    lines.push(`  ${scenario.verdict.summary}`);
    if (scenario.stoppedEarly !== null) lines.push(`  stopped early: ${scenario.stoppedEarly}`);
  } else {
    lines.push(`run ${report.runId}: ${status}; budget ${report.budgetMet ? 'met' : 'NOT met'}`);
    for (const sentence of recommendationSentences(report)) lines.push(`  ${sentence}`);
    for (const line of honestySummary(report)) lines.push(`  ${line}`);
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  for (const file of files) lines.push(`  wrote ${file}`);
  return `${lines.join('\n')}\n`;
}
