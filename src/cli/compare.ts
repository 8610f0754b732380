/** `pipebench compare <baseline> <candidate>`: its flags and help; the action (compare-action.ts) is imported when it runs. */
import type { Command } from 'commander';
import { COMPARE_METRICS, DEFAULT_COMPARE_OPTIONS } from '../analysis/compare-model.js';
import type { CompareFlags } from './compare-action.js';
import type { CommandContext } from './context.js';

export function registerCompareCommand(program: Command, context: CommandContext): void {
  program
    .command('compare')
    .description('Compare a candidate run with a baseline: PASS, or FAIL with the regressions beyond threshold and noise.')
    .argument('<baseline>', "the baseline run's report.json")
    .argument('<candidate>', "the candidate run's report.json")
    .option('--threshold <pct>', 'degradation threshold for latency and throughput', '10%')
    .option('--latency-threshold <pct>', 'threshold for p50/p95/p99 (default: --threshold)')
    .option('--throughput-threshold <pct>', 'threshold for items/s (default: --threshold)')
    .option('--metrics <list>', `metrics to compare, a subset of ${COMPARE_METRICS.join(',')}`)
    .option('--markdown <file>', 'write a Markdown summary for a pull-request comment')
    .option('--json <file>', 'write the machine-readable result')
    .option('--html <file>', 'write a self-contained HTML page: baseline vs candidate charts, regressions highlighted')
    .option('--force', 'compare runs that are not comparable, with a warning per difference')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--resamples <n>', 'bootstrap resamples', String(DEFAULT_COMPARE_OPTIONS.resamples))
    .addHelpText(
      'after',
      `
A metric is a regression only when its change is past the threshold AND the bootstrap 95 % interval
of the change lies wholly above 0. Error rate: one-sided two-proportion z-test, p < 0.05.
Exit codes: 0 PASS, 1 regression, 2 bad input or runs that are not comparable (without --force).

Example:
  pipebench compare reports/base/report.json reports/cand/report.json --latency-threshold 15% --markdown compare.md`,
    )
    .action(async (baselinePath: string, candidatePath: string, flags: CompareFlags) => {
      const { compareCommand } = await import('./compare-action.js');
      await compareCommand(baselinePath, candidatePath, flags, context);
    });
}
