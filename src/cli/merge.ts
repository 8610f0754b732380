/**
 * `pipebench merge <report.json...|DIR> --out DIR`: shard runs (run --shard i/N) as one run. Refuses
 * shards of different plans (naming the field), a missing or a repeated shard; merges every step
 * exactly, re-analyses the merged run (trade-off, budgets, recommendation, verdicts) as `report`
 * does, and writes every output format. Exit 0/1 as the run would; 2 for bad input.
 * Flags and help here; the action (merge-action.ts) is imported when it runs.
 */
import type { Command } from 'commander';
import { REPORT_FORMATS } from '../report/formats.js';
import type { CommandContext } from './context.js';
import type { MergeFlags } from './merge-action.js';

export function registerMergeCommand(program: Command, context: CommandContext): void {
  program
    .command('merge')
    .description('Merge the shard reports of one run (run --shard i/N) exactly into one report, re-analysed, in every format.')
    .argument('<reports...>', "shard report.json files, or folders holding them (each shard's report.json one level down)")
    .option('--out <dir>', 'output folder for the merged run (required)')
    .option('--formats <list>', `outputs to write, from ${REPORT_FORMATS.join(',')}`, REPORT_FORMATS.join(','))
    .option('--budgets <file>', "judge the merged run under this budgets file instead of the shards' own budget")
    .option('--run-id <id>', "the merged run's id (default: shard 0's run id with -merged)")
    .addHelpText(
      'after',
      `
Examples:
  pipebench merge /reports/shard-0/report.json /reports/shard-1/report.json --out /reports/merged
  pipebench merge /reports --out /reports/merged          every */report.json of a shard run under /reports`,
    )
    .action(async (paths: string[], flags: MergeFlags) => {
      const { mergeCommand } = await import('./merge-action.js');
      await mergeCommand(paths, flags, context);
    });
}
