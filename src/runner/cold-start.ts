/**
 * A step's cold start. A native or GPU backend pays at the first call of each new batch size
 * (graph and kernel set-up, cuDNN autotuning, PTX JIT on a GPU newer than the library), so before
 * its load starts each in-process step makes its first model call on purpose: one batch of the
 * step's size on every model instance at once (each instance pays for a new shape itself). The
 * slowest of those calls is the step's cold start; they are never in the measured histograms.
 */
import type { Clock } from '../core/clock.js';
import type { Step } from '../core/workload.js';
import type { TextFeed } from '../load/closed-loop.js';
import { batchUnitOf, supportsStaticBatches } from '../targets/target.js';
import type { RunnerTarget } from './types.js';

/** Model time of the step's first call (ms), the slowest instance's; null over HTTP or when every call failed. */
export async function measureColdStart(step: Step, target: RunnerTarget, texts: TextFeed, clock: Clock): Promise<number | null> {
  // A batch that is one model call (in process); over HTTP a batch is a request, and the server's cold start is its own.
  if (batchUnitOf(target) !== 'model-call' || !supportsStaticBatches(target)) return null;
  const instances = target.backend?.instances ?? 1;
  const calls = Array.from({ length: instances }, () => {
    const batch = Array.from({ length: step.batchSize }, () => texts.next());
    return target.submitBatch(step.stage, batch, clock());
  });
  const firsts = (await Promise.all(calls)).map((results) => results[0]);
  const times = firsts.flatMap((result) => (result?.ok ? [result.inferenceMs] : []));
  return times.length > 0 ? Math.max(...times) : null;
}
