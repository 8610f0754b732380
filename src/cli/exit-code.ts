/** The one place a finished run becomes an exit code (README "Exit codes"). */
import { ExitCode } from '../errors.js';
import type { RunReport } from '../report/types.js';

export function exitCodeForRun(report: Pick<RunReport, 'interruptedBy' | 'budgetMet'>): ExitCode {
  if (report.interruptedBy === 'SIGINT') return ExitCode.interrupted;
  if (report.interruptedBy === 'SIGTERM') return ExitCode.terminated;
  return report.budgetMet ? ExitCode.ok : ExitCode.budgetNotMet;
}
