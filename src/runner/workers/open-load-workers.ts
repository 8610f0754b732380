/**
 * The run's load worker threads, when its workload asks for more than one (load.workers, --workers)
 * and its target is an HTTP service: null otherwise (the main thread drives every step). The plan's
 * peak in-flight count caps them: a worker with nothing in flight would only cost a core.
 */
import type { Step, Workload } from '../../core/workload.js';
import type { Corpus } from '../../workload/corpus.js';
import { peakInFlight } from '../../workload/plan.js';
import { LoadWorkerPool } from './load-worker-pool.js';

export function openLoadWorkers(
  workload: Workload,
  corpus: Corpus,
  steps: readonly Step[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadWorkerPool | null> {
  const { workers, target } = workload;
  if (workers === undefined || workers === 1 || target.kind !== 'http' || workload.scenario !== undefined) return Promise.resolve(null);
  return LoadWorkerPool.open({
    workers,
    spec: target,
    env,
    corpus,
    seed: workload.seed,
    uniqueTexts: workload.corpus.uniqueTexts,
    peakInFlight: peakInFlight(steps),
  });
}
