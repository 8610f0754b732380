/** How a step is named in progress lines and the live view. */
import type { Step } from '../core/workload.js';

/**
 * Sweep steps: "classify batch 4", plus the load level: "x8 in flight" (closed) or "@ 20 req/s"
 * (open). Scenario steps: the load stage, "spike-up 50->500 in flight"; with `elapsedMs`, how far
 * into it: "spike-up 50->500 in flight, 12 s / 120 s".
 */
export function stepLabel(step: Step, elapsedMs?: number): string {
  const profile = step.profile;
  if (profile === undefined) {
    const level =
      step.arrivals !== null ? ` @ ${step.arrivals.ratePerSec} req/s` : step.concurrency !== null ? ` x${step.concurrency} in flight` : '';
    return `${step.stage} batch ${step.batchSize}${level}`;
  }
  const unit = step.arrivals !== null ? 'req/s' : 'in flight';
  const levels = profile.fromLevel === profile.toLevel ? `${profile.toLevel}` : `${profile.fromLevel}->${profile.toLevel}`;
  const progress = elapsedMs === undefined ? '' : `, ${durationText(elapsedMs)} / ${durationText(profile.durationMs)}`;
  return `${profile.name} ${levels} ${unit}${progress}`;
}

/** Whole seconds up to 10 min ("12 s", "120 s"), then "12 min 05 s", then "2 h 03 min". */
export function durationText(ms: number): string {
  const totalS = Math.max(0, Math.floor(ms / 1000));
  if (totalS < 600) return `${totalS} s`;
  const totalMin = Math.floor(totalS / 60);
  if (totalMin < 60) return `${totalMin} min ${String(totalS % 60).padStart(2, '0')} s`;
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, '0')} min`;
}
