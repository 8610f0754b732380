/** The few lines a run prints on stdout when it ends: verdict, recommendation per stage, files. */
import type { RunReport } from '../report/types.js';

export function renderRunSummary(report: RunReport, files: readonly string[]): string {
  const lines: string[] = [];
  const status = report.partial ? `partial (interrupted by ${report.interruptedBy ?? 'an error'})` : 'complete';
  lines.push(`run ${report.runId}: ${status}; budget ${report.budgetMet ? 'met' : 'NOT met'}`);
  for (const rec of report.recommendation) lines.push(`  ${rec.stage}: ${rec.reason}`);
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  for (const file of files) lines.push(`  wrote ${file}`);
  return `${lines.join('\n')}\n`;
}
