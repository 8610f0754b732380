/**
 * Which shard reports may merge: every one a shard run of the same plan (the same workload, budget
 * and steps), one per index 0..N-1, none missing, none twice. Each refusal names the file and the
 * field that decided it. Pure.
 */
import type { RunReport } from '../core/report/run.js';
import type { ShardReport } from '../core/report/shard.js';
import { InputError } from '../errors.js';
import { formatFieldPath } from '../field-path.js';

export interface ShardFile {
  /** Where it was read from, for messages. */
  readonly source: string;
  readonly report: RunReport;
}

export type ShardOf = ShardFile & { readonly shard: ShardReport };

/** The shards in index order, once each checked to be one plan's complete set. */
export function checkShardSet(files: readonly ShardFile[]): ShardOf[] {
  if (files.length === 0) throw new InputError('merge', 'expected shard report.json files (or a folder of them), got none');
  const shards = files.map(shardOf);
  const first = shards[0] as ShardOf;
  const of = first.shard.of;
  const byIndex: (ShardOf | undefined)[] = Array.from({ length: of }, () => undefined);
  for (const file of shards) {
    if (file.shard.of !== of)
      throw new InputError(`${file.source}: shard.of`, `expected ${of} shards as in ${first.source}, got ${file.shard.of}`);
    const seen = byIndex[file.shard.index];
    if (seen !== undefined)
      throw new InputError(
        `${file.source}: shard.index`,
        `expected each shard once, got shard ${file.shard.index} again (also ${seen.source})`,
      );
    byIndex[file.shard.index] = file;
  }
  const missing = byIndex.flatMap((file, index) => (file === undefined ? [index] : []));
  if (missing.length > 0)
    throw new InputError('merge', `expected all ${of} shards (0 to ${of - 1}), got none for shard ${missing.join(', ')}`);
  for (const file of shards) samePlan(first, file);
  return byIndex as ShardOf[];
}

function shardOf(file: ShardFile): ShardOf {
  const shard = file.report.shard;
  if (shard === undefined || shard === null)
    throw new InputError(`${file.source}: shard`, 'expected the report of a shard run (pipebench run --shard i/N), got a run without one');
  return { ...file, shard };
}

/** The same plan: workload (where it was read from aside), budgets and the steps measured. */
function samePlan(reference: ShardOf, file: ShardOf): void {
  const { source: _a, ...planA } = reference.report.workload;
  const { source: _b, ...planB } = file.report.workload;
  const keyed = (report: RunReport): unknown => ({
    workload: report === reference.report ? planA : planB,
    budget: report.budget,
    stageBudgets: report.stageBudgets,
    steps: report.steps.map(({ index, stage, mode, batchSize, concurrency, maxQueueDelayMs, maxNewTokens }) => ({
      index,
      stage,
      mode,
      batchSize,
      concurrency,
      maxQueueDelayMs,
      maxNewTokens,
    })),
  });
  const path = firstDifference(keyed(reference.report), keyed(file.report), []);
  if (path === null) return;
  throw new InputError(
    `${file.source}: ${formatFieldPath(path)}`,
    `expected the plan of ${reference.source} (shards of one run), got a different value (${describe(valueAt(keyed(file.report), path))} vs ${describe(valueAt(keyed(reference.report), path))})`,
  );
}

/** The path of the first value that differs; null when equal. */
function firstDifference(a: unknown, b: unknown, path: readonly PropertyKey[]): PropertyKey[] | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return [...path];
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(recordA), ...Object.keys(recordB)])].sort()) {
    const found = firstDifference(recordA[key], recordB[key], [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
