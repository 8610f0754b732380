/**
 * The curves of a stage's steps: which curve a step belongs to (batching mode and load level), and
 * speedup and efficiency within each curve.
 */
import type { StepReport } from '../core/report/step.js';
import type { Workload } from '../core/workload.js';
import { analyzeScaling } from './scaling.js';

/**
 * Which curve a step belongs to: its stage, batching mode and load level (a listed concurrency or
 * an open-loop rate). "auto" concurrency follows the batch size, so it is one curve, not a level per step.
 */
export function curveKey(step: StepReport, workload: Workload): string {
  const listedLevels = new Set(workload.stages.filter((spec) => spec.concurrency !== 'auto').map((spec) => spec.stage));
  const level = step.openLoop ? `rate ${step.openLoop.targetRatePerSec}/s` : listedLevels.has(step.stage) ? `x${step.concurrency}` : '';
  return `${step.stage}/${step.mode}/${level}`;
}

/** "dynamic, x8", "static", "dynamic, rate 100/s". */
export function curveLabel(key: string): string {
  const [, mode, level] = key.split('/');
  return [mode, level].filter((part) => part !== undefined && part !== '').join(', ');
}

/**
 * Speedup/efficiency within each stage, batching mode (dynamic and static curves differ) and load
 * level (a listed concurrency or an open-loop rate: one batch-size curve per level), over
 * complete steps only: an interrupted step's throughput must not become another step's base.
 */
export function withScaling(steps: readonly StepReport[], workload: Workload): StepReport[] {
  const out = [...steps];
  const groups = new Map<string, number[]>();
  steps.forEach((step, i) => {
    if (!step.complete) return;
    const key = curveKey(step, workload);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indices of groups.values()) {
    const analysis = analyzeScaling(
      indices.map((i) => ({ batchSize: steps[i]?.batchSize ?? 0, itemsPerSec: steps[i]?.throughput.itemsPerSec ?? 0 })),
    );
    indices.forEach((stepIndex, k) => {
      const step = steps[stepIndex];
      const point = analysis.points[k];
      if (step && point) out[stepIndex] = { ...step, speedup: point.speedup, efficiency: point.efficiency };
    });
  }
  return out;
}
