/** The one place a finished run becomes an exit code (README "Exit codes"). */
import { ExitCode } from '../errors.js';
import type { RunReport } from '../core/report/run.js';

/** Exit 1 when a stage found no batch size within its budget, or when any alert rule fired. */
export function exitCodeForRun(
  report: Pick<RunReport, 'interruptedBy' | 'budgetMet'> & { readonly alerts?: RunReport['alerts'] },
): ExitCode {
  if (report.interruptedBy === 'SIGINT') return ExitCode.interrupted;
  if (report.interruptedBy === 'SIGTERM') return ExitCode.terminated;
  const alertFired = (report.alerts ?? []).some((finding) => finding.kind === 'fired');
  return report.budgetMet && !alertFired ? ExitCode.ok : ExitCode.budgetNotMet;
}
