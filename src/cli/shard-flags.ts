/**
 * `run --shard i/N` and `--start-at <ISO time>`, or their environment (an Indexed Job sets
 * JOB_COMPLETION_INDEX in every pod; the manifest sets PIPEBENCH_SHARDS and PIPEBENCH_START_AT once
 * for all): resolved once into the run's ShardRun, every bad value naming the flag or variable.
 */
import type { ClockOffsetReport, ShardSlot } from '../core/report/shard.js';
import type { Workload } from '../core/workload.js';
import { InputError } from '../errors.js';
import { signoffOf } from '../workload/signoff.js';
import { ShardRun } from '../runner/shard-run.js';

export const SHARD_ENV = { index: 'JOB_COMPLETION_INDEX', count: 'PIPEBENCH_SHARDS', startAt: 'PIPEBENCH_START_AT' } as const;

const MAX_SHARDS = 1024;

type Env = Readonly<Record<string, string | undefined>>;

export interface ShardFlags {
  readonly shard?: string;
  readonly startAt?: string;
}

/** The run's shard, or null when neither the flags nor the environment ask for one. */
export function shardSlotOf(flags: ShardFlags, env: Env): ShardSlot | null {
  if (flags.shard !== undefined) {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(flags.shard);
    if (match === null) throw new InputError('--shard', `expected i/N (shard i of N, i from 0), e.g. 0/4, got "${flags.shard}"`);
    return checkedSlot(Number(match[1]), Number(match[2]), '--shard', '--shard');
  }
  const count = env[SHARD_ENV.count];
  if (count === undefined || count === '') return null;
  const index = env[SHARD_ENV.index];
  if (index === undefined || index === '')
    throw new InputError(
      SHARD_ENV.index,
      `expected the shard index (0 to N-1; an Indexed Job sets it) beside ${SHARD_ENV.count}=${count}, got none`,
    );
  return checkedSlot(wholeNumber(index, SHARD_ENV.index), wholeNumber(count, SHARD_ENV.count), SHARD_ENV.index, SHARD_ENV.count);
}

/** --start-at (or PIPEBENCH_START_AT) as epoch ms: an ISO 8601 time with its zone, so every machine reads one instant. */
export function startAtOf(flags: ShardFlags, env: Env): number | null {
  const fromFlag = flags.startAt !== undefined;
  const raw = fromFlag ? flags.startAt : env[SHARD_ENV.startAt];
  if (raw === undefined || raw === '') return null;
  const name = fromFlag ? '--start-at' : SHARD_ENV.startAt;
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw.trim());
  const atMs = Date.parse(raw.trim());
  if (!zoned || Number.isNaN(atMs))
    throw new InputError(name, `expected an ISO 8601 time with its zone, e.g. 2026-12-05T22:00:00Z, got "${raw}"`);
  return atMs;
}

/** A shard run's ShardRun; only HTTP sweeps measured once split (the merge adds concurrent measurements). */
export function shardRunOf(
  slot: ShardSlot | null,
  startAtMs: number | null,
  workload: Workload,
  clockOffset: ClockOffsetReport | null,
): ShardRun | null {
  if (slot === null) {
    if (startAtMs !== null) throw new InputError('--start-at', `expected --shard i/N (or ${SHARD_ENV.count}) beside it: it aligns shards`);
    return null;
  }
  const refuse = (why: string): never => {
    throw new InputError('--shard', `expected an HTTP sweep measured once for workload "${workload.name}", got ${why}`);
  };
  if (workload.target.kind !== 'http') refuse('in-process models (shards split the load on an HTTP service)');
  if (workload.scenario !== undefined) refuse('a scenario (its load stages are one timeline)');
  const signoff = signoffOf(workload);
  if (signoff.search) refuse('--search (each shard would search on its own share)');
  if (signoff.repeat > 1) refuse(`--repeat ${signoff.repeat} (repeats are merged in sequence, shards at once)`);
  if (workload.workers !== undefined && workload.workers !== 1) refuse('--workers (run one shard per worker instead)');
  return new ShardRun(slot, startAtMs, clockOffset);
}

function checkedSlot(index: number, of: number, indexName: string, countName: string): ShardSlot {
  if (!Number.isInteger(of) || of < 1 || of > MAX_SHARDS)
    throw new InputError(countName, `expected a shard count from 1 to ${MAX_SHARDS}, got ${of}`);
  if (!Number.isInteger(index) || index >= of) throw new InputError(indexName, `expected a shard index from 0 to ${of - 1}, got ${index}`);
  return { index, of };
}

function wholeNumber(raw: string, name: string): number {
  if (!/^\s*\d+\s*$/.test(raw)) throw new InputError(name, `expected a whole number, got "${raw}"`);
  return Number(raw);
}
