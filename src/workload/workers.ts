/**
 * load.workers / --workers: how many worker threads an HTTP run's load is split over. One parser
 * for the file and the flag, and the one rule on where more than one may be asked for: an HTTP
 * target's sweep (in-process models scale with engine.instances; a scenario drives one timeline).
 */
import { InputError } from '../errors.js';
import type { WorkerCount, Workload } from '../core/workload.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';

export const MAX_WORKERS = 64;

export const WORKERS_EXPECTED = `an integer from 1 to ${MAX_WORKERS} or "auto" (cores - 1)`;

export interface WorkerOverrides {
  readonly workers?: WorkerCount;
}

/** A file or flag value: a whole number in range or "auto"; undefined otherwise. */
export function parseWorkerCount(raw: number | string): WorkerCount | undefined {
  if (raw === 'auto') return 'auto';
  const value = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS ? value : undefined;
}

/** The override applied, then checked against the target and mode (a file's load.workers included). */
export function applyWorkerOverrides(workload: Workload, o: WorkerOverrides, names: OverrideNames = FIELD_NAMES): Workload {
  if (o.workers !== undefined && parseWorkerCount(o.workers) === undefined) {
    throw new InputError(names.workers, `expected ${WORKERS_EXPECTED}, got ${String(o.workers)}`);
  }
  const workers = o.workers ?? workload.workers;
  if (workers === undefined || workers === 1 || workers === 'auto') return workers === undefined ? workload : { ...workload, workers };
  const where = o.workers !== undefined ? names.workers : `${workload.source}: load.workers`;
  if (workload.target.kind !== 'http') {
    throw new InputError(
      where,
      `expected 1 for workload "${workload.name}", which runs in process: worker threads split the load of HTTP targets only (in-process models scale with engine.instances, --instances)`,
    );
  }
  if (workload.scenario !== undefined) {
    throw new InputError(where, `expected 1 for scenario workload "${workload.name}": its load stages are driven from one thread`);
  }
  return { ...workload, workers };
}
