/**
 * The few lines a run prints on stdout when it ends: verdict, the recommendation sentence per stage,
 * any percentile the samples cannot support and any unstable step (a scenario: its verdict
 * sentence instead), warnings, files.
 */
import { honestySummary } from '../report/markdown/honesty.js';
import { runStatus } from '../report/markdown/index.js';
import { recommendationSentences } from '../report/markdown/tradeoff.js';
import { serverSweepLines } from '../report/markdown/server-sweep.js';
import type { RunReport } from '../core/report/run.js';

export function renderRunSummary(report: RunReport, files: readonly string[]): string {
  const outcome = outcomeLines(report);
  const lines = [`run ${report.runId}: ${runStatus(report)}; ${outcome.verdict}`, ...outcome.details.map((line) => `  ${line}`)];
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  for (const file of files) lines.push(`  wrote ${file}`);
  return `${lines.join('\n')}\n`;
}

/**
 * What a run (or a re-analysis) comes to: a scenario passes or fails on its verdict, with per-step
 * sample honesty left to report.md's stage table; a sweep on its budget, with the recommendation.
 */
export function outcomeLines(report: RunReport): { readonly verdict: string; readonly details: readonly string[] } {
  const scenario = report.scenario;
  if (scenario) {
    return {
      verdict: `${scenario.kind} scenario ${scenario.verdict.passed ? 'passed' : 'FAILED'}`,
      details: [scenario.verdict.summary, ...(scenario.stoppedEarly === null ? [] : [`stopped early: ${scenario.stoppedEarly}`])],
    };
  }
  // A server sweep's answer is its chosen configuration; the per-stage batch recommendation would mix configurations.
  if (report.serverSweep)
    return {
      verdict: `budget ${report.budgetMet ? 'met' : 'NOT met'}`,
      details: [...serverSweepLines(report.serverSweep), ...honestySummary(report)],
    };
  return {
    verdict: `budget ${report.budgetMet ? 'met' : 'NOT met'}`,
    details: [...recommendationSentences(report), ...honestySummary(report)],
  };
}
