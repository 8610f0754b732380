/** `pipebench report <report.json>`'s action: re-analyse, write every output asked for, exit as the run would. */
import { dirname, resolve } from 'node:path';
import { reanalyze, type Reanalysis } from '../analysis/reanalyze.js';
import { outcomeLines } from './run-summary.js';
import type { ReportFormat } from '../report/formats.js';
import { ReportWriter } from '../report/writer.js';
import { loadReport } from '../report/read-report.js';
import { loadBudgetsFile } from '../workload/budgets-file.js';
import { exitCodeForRun } from './exit-code.js';
import type { CommandContext } from './context.js';
import { parseFormats } from './formats-flag.js';

export interface ReportFlags {
  readonly budgets?: string;
  readonly out?: string;
  readonly formats: string;
  readonly html?: boolean;
}

export async function reportCommand(reportPath: string, flags: ReportFlags, context: CommandContext): Promise<void> {
  const formats = flags.html === true ? (['html'] as ReportFormat[]) : parseFormats(flags.formats);
  const path = resolve(context.io.cwd, reportPath);
  const saved = await loadReport(path);
  const budgets = flags.budgets === undefined ? null : await loadBudgetsFile(resolve(context.io.cwd, flags.budgets));
  const analysis = reanalyze(saved, budgets);
  const outDir = flags.out === undefined ? dirname(path) : resolve(context.io.cwd, flags.out);
  const files = await new ReportWriter(outDir, { formats }).write(analysis.report);
  context.io.stdout.write(renderSummary(analysis, budgets?.source ?? null, files));
  // Judged as re-analysed: the saved run's interruption does not decide this exit code.
  context.exitCode = exitCodeForRun({ ...analysis.report, interruptedBy: null });
}

function renderSummary(analysis: Reanalysis, budgetsSource: string | null, files: readonly string[]): string {
  const { report } = analysis;
  const fired = analysis.alerts.filter((finding) => finding.kind === 'fired').length;
  const under = budgetsSource === null ? 'its own budget' : budgetsSource;
  const outcome = outcomeLines(report);
  const lines = [
    `report ${report.runId}: re-analysed under ${under}; ${outcome.verdict}${fired > 0 ? `; ${fired} alert(s) fired` : ''}`,
    ...outcome.details.map((line) => `  ${line}`),
    ...report.warnings.map((warning) => `  warning: ${warning}`),
    ...files.map((file) => `  wrote ${file}`),
  ];
  return `${lines.join('\n')}\n`;
}
