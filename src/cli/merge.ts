/**
 * `pipebench merge <report.json...|DIR> --out DIR`: shard runs (run --shard i/N) as one run. Refuses
 * shards of different plans (naming the field), a missing or a repeated shard; merges every step
 * exactly, re-analyses the merged run (trade-off, budgets, recommendation, verdicts) as `report`
 * does, and writes every output format. Exit 0/1 as the run would; 2 for bad input.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { mergeShards } from '../analysis/merge-shards.js';
import { reanalyze } from '../analysis/reanalyze.js';
import { checkShardSet, type ShardFile } from '../analysis/shard-set.js';
import { InputError } from '../errors.js';
import { loadReport } from '../report/read-report.js';
import { REPORT_FORMATS, ReportWriter } from '../report/writer.js';
import { loadBudgetsFile } from '../workload/budgets-file.js';
import type { CommandContext } from './context.js';
import { exitCodeForRun } from './exit-code.js';
import { parseFormats } from './report.js';
import { outcomeLines } from './run-summary.js';
import { formatMs } from '../format.js';

interface MergeFlags {
  readonly out?: string;
  readonly formats: string;
  readonly budgets?: string;
  readonly runId?: string;
}

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
      if (flags.out === undefined) throw new InputError('--out', 'expected the output folder for the merged run, got none');
      const formats = parseFormats(flags.formats);
      const files = await readShardFiles(paths.map((path) => resolve(context.io.cwd, path)));
      const shards = checkShardSet(files);
      const budgets = flags.budgets === undefined ? null : await loadBudgetsFile(resolve(context.io.cwd, flags.budgets));
      const runId = flags.runId ?? `${shards[0]?.report.runId ?? 'run'}-merged`;
      const analysis = reanalyze(mergeShards(shards, runId), budgets);
      const written = await new ReportWriter(resolve(context.io.cwd, flags.out), { formats }).write(analysis.report);
      const outcome = outcomeLines(analysis.report);
      const lines = [
        `merged ${shards.length} shards into ${runId}; ${outcome.verdict}`,
        ...outcome.details.map((line) => `  ${line}`),
        ...shards.map(
          ({ shard }) =>
            `  shard ${shard.index}: start skew ${shard.startSkewMs === null ? 'n/a' : formatMs(shard.startSkewMs)}, clock offset ${shard.clockOffset === null ? 'unknown' : `${formatMs(shard.clockOffset.offsetMs)} +-${formatMs(shard.clockOffset.uncertaintyMs)}`}`,
        ),
        ...analysis.report.warnings.map((warning) => `  warning: ${warning}`),
        ...written.map((file) => `  wrote ${file}`),
      ];
      context.io.stdout.write(`${lines.join('\n')}\n`);
      context.exitCode = exitCodeForRun({ ...analysis.report, interruptedBy: null });
    });
}

/** Files as given; a folder: its report.json files one level down (a merged report found there is skipped). */
async function readShardFiles(paths: readonly string[]): Promise<ShardFile[]> {
  const files: ShardFile[] = [];
  for (const path of paths) {
    if (!(await isFolder(path))) {
      files.push({ source: path, report: await loadReport(path) });
      continue;
    }
    const found: ShardFile[] = [];
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const candidate = join(path, entry.name, 'report.json');
      if (!entry.isDirectory() || !(await exists(candidate))) continue;
      const report = await loadReport(candidate);
      if (report.shards === undefined || report.shards === null) found.push({ source: candidate, report });
    }
    if (found.length === 0)
      throw new InputError(path, 'expected shard report.json files one folder down (e.g. shard-0/report.json), got none');
    files.push(...found);
  }
  return files;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
