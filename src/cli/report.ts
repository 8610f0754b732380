/**
 * `pipebench report <report.json>`: re-analyse a saved run without re-running it (new budgets, new
 * formats) and write its outputs. Exit 0 when every stage's recommendation is within budget and no
 * alert rule fired, 1 otherwise, 2 for a missing or invalid report or budgets file. Flags and help
 * here; the action (report-action.ts) is imported when it runs.
 */
import type { Command } from 'commander';
import { REPORT_FILES, REPORT_FORMATS } from '../report/formats.js';
import type { CommandContext } from './context.js';
import type { ReportFlags } from './report-action.js';

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
      const { reportCommand } = await import('./report-action.js');
      await reportCommand(reportPath, flags, context);
    });
}
