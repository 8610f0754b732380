/**
 * `pipebench report <report.json>`: re-analyse a saved run without re-running it (new budgets, new
 * formats) and write its outputs. Exit 0 when every stage's recommendation is within budget and no
 * alert rule fired, 1 otherwise, 2 for a missing or invalid report or budgets file.
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { reanalyze, type Reanalysis } from '../analysis/reanalyze.js';
import { InputError } from '../errors.js';
import { outcomeLines } from './run-summary.js';
import { REPORT_FILES, REPORT_FORMATS, ReportWriter, type ReportFormat } from '../report/writer.js';
import { loadReport } from '../report/read-report.js';
import { loadBudgetsFile } from '../workload/budgets-file.js';
import { exitCodeForRun } from './exit-code.js';
import type { CommandContext } from './context.js';

export { REPORT_FORMATS, type ReportFormat };

interface ReportFlags {
  readonly budgets?: string;
  readonly out?: string;
  readonly formats: string;
  readonly html?: boolean;
}

export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('Re-analyse a saved report.json (new budgets, more formats) without re-running; write every output again.')
    .argument('<report.json>', 'a report.json written by pipebench run')
    .option('--budgets <file>', 'budgets file in the performance guide format (see workloads/budgets.yaml)')
    .option('--out <dir>', "output folder (default: the report's own folder)")
    .option('--formats <list>', `outputs to write, from ${REPORT_FORMATS.join(',')}`, REPORT_FORMATS.join(','))
    .option('--html', 'only rebuild report.html (the same as --formats html)')
    .addHelpText(
      'after',
      `
Outputs: ${REPORT_FORMATS.map((format) => `${format} -> ${REPORT_FILES[format]}`).join(', ')}.
Exit 0 when every stage's recommendation is within budget and no alert fired.

Examples:
  pipebench report reports/run1/report.json --budgets workloads/budgets.yaml
  pipebench report reports/run1/report.json --formats junit,csv --out ci-results
  pipebench report reports/run1/report.json --html`,
    )
    .action(async (reportPath: string, flags: ReportFlags) => {
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
    });
}

export function parseFormats(raw: string): ReportFormat[] {
  const names = raw.split(',').map((name) => name.trim());
  const known = REPORT_FORMATS as readonly string[];
  const wrong = names.find((name) => !known.includes(name));
  if (wrong !== undefined)
    throw new InputError(
      '--formats',
      `expected a comma-separated list from ${REPORT_FORMATS.join(', ')}, got "${wrong === '' ? raw : wrong}"`,
    );
  return REPORT_FORMATS.filter((format) => names.includes(format));
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
