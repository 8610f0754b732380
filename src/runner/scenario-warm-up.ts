/** A scenario's warm-up before its stages: driven, never recorded. */
import type { Step } from '../core/workload.js';
import type { LoadProfile } from '../load/profile.js';
import { driveStep } from './drive-step.js';
import type { StepContext } from './run-step.js';

/** Warm-up (steps[0].warmup) at the first non-zero level from the start offset on; nothing recorded. */
export async function warmUp(
  first: Step,
  profile: LoadProfile,
  startOffsetMs: number,
  context: StepContext,
  signal: AbortSignal,
): Promise<void> {
  const { requests, durationMs } = first.warmup;
  if (!((requests ?? 0) > 0 || (durationMs ?? 0) > 0)) return;
  const startIndex = profile.stageIndexAt(startOffsetMs);
  const level = profile.levelAt(startOffsetMs) || (profile.stages.slice(startIndex).find((stage) => stage.target > 0)?.target ?? 0);
  if (level <= 0) return;
  const warm: Step = {
    ...first,
    concurrency: first.arrivals === null ? Math.max(1, Math.floor(level)) : null,
    arrivals: first.arrivals === null ? null : { ...first.arrivals, ratePerSec: level },
    measure: { requests: 0, maxDurationMs: first.measure.maxDurationMs },
  };
  await driveStep(warm, {
    target: context.target,
    texts: context.texts,
    sink: { record: () => undefined },
    clock: context.clock,
    seed: context.seed,
    signal,
    ...(context.drainGraceMs !== undefined && { drainGraceMs: context.drainGraceMs }),
  });
}
