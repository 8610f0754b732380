/** `pipebench merge`'s action: check the shard set, merge every step exactly, re-analyse, write every output. */ import {
  readdir,
  stat,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mergeShards } from '../analysis/merge-shards.js';
import { reanalyze } from '../analysis/reanalyze.js';
import { checkShardSet, type ShardFile } from '../analysis/shard-set.js';
import { InputError } from '../errors.js';
import { loadReport } from '../report/read-report.js';
import { ReportWriter } from '../report/writer.js';
import { loadBudgetsFile } from '../workload/budgets-file.js';
import type { CommandContext } from './context.js';
import { exitCodeForRun } from './exit-code.js';
import { parseFormats } from './formats-flag.js';
import { outcomeLines } from './run-summary.js';
import { formatMs } from '../format.js';

export interface MergeFlags {
  readonly out?: string;
  readonly formats: string;
  readonly budgets?: string;
  readonly runId?: string;
}

export async function mergeCommand(paths: string[], flags: MergeFlags, context: CommandContext): Promise<void> {
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
