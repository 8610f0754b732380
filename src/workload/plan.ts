/** A workload -> its ordered steps: stages in file order, each at its batch sizes in ascending order. */
import type { StageSpec, Step, Workload } from './types.js';

export function planSteps(workload: Workload): Step[] {
  const steps: Step[] = [];
  for (const stage of workload.stages) {
    for (const batchSize of stage.batchSizes) {
      steps.push({
        index: steps.length,
        stage: stage.stage,
        mode: stage.mode,
        batchSize,
        concurrency: resolveConcurrency(stage, batchSize, workload.engine.instances),
        maxQueueDelayMs: stage.maxQueueDelayMs,
        maxNewTokens: stage.maxNewTokens,
        warmup: workload.warmup,
        measure: workload.measure,
      });
    }
  }
  return steps;
}

/**
 * Items in flight. Dynamic: 2 x batch x instances, so while one batch runs on each instance the
 * next one fills. Static: batch x instances, exactly one full batch per instance (no queueing, so
 * the latency is the model's own batch-scaling curve).
 */
export function resolveConcurrency(stage: Pick<StageSpec, 'mode' | 'concurrency'>, batchSize: number, instances: number): number {
  if (stage.concurrency !== 'auto') return stage.concurrency;
  return (stage.mode === 'static' ? 1 : 2) * batchSize * instances;
}
