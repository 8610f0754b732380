import { describe, expect, it } from 'vitest';
import { StepRecorder } from '../../src/metrics/recorder.js';
import type { StepMeasurement } from '../../src/core/measurement.js';
import { cutShortWarning } from '../../src/runner/run-step.js';
import type { Step } from '../../src/core/workload.js';

const step: Step = {
  index: 3,
  stage: 'generate',
  mode: 'dynamic',
  batchSize: 1,
  concurrency: 1,
  arrivals: null,
  maxQueueDelayMs: 2,
  maxNewTokens: null,
  warmup: { requests: 0 },
  measure: { requests: 100, maxDurationMs: 30_000 },
};

/** `ok` answered and `failed` failed items. */
function measured(ok: number, failed = 0): StepMeasurement {
  const recorder = new StepRecorder({ clock: () => 0 });
  for (let i = 0; i < ok + failed; i++) {
    recorder.record({
      ok: i < ok,
      ...(i >= ok && { errorClass: 'timeout' }),
      tArrivalMs: i,
      tResponseMs: i + 370,
      queueMs: 0,
      inferenceMs: 370,
      batchSize: 1,
    });
  }
  return recorder.finish();
}

describe('cutShortWarning', () => {
  it('the hard limit ended the step short of its count: how many of how many, the limit, and what to change', () => {
    expect(cutShortWarning(step, 'maxDuration', measured(70, 7))).toBe(
      'step 3 (generate batch 1 at 1 in flight): measured 77 of the 100 items requested: its hard limit measure.maxDuration (30 s) ended it first; ' +
        'raise measure.maxDuration in the workload, or give a --duration longer than it as well (the hard limit then becomes 3 x that duration, at least 30 s)',
    );
    const open: Step = { ...step, concurrency: null, arrivals: { process: 'poisson', ratePerSec: 20, maxInFlight: null } };
    expect(cutShortWarning(open, 'maxDuration', measured(5))).toMatch(
      /^step 3 \(generate batch 1 at 20 req\/s\): measured 5 of the 100 items requested/,
    );
  });

  it('no warning when the plan ended it, when it measured all it asked for, or when it asked for a duration only', () => {
    expect(cutShortWarning(step, 'requests', measured(100))).toBeNull();
    expect(cutShortWarning(step, 'duration', measured(40))).toBeNull();
    expect(cutShortWarning(step, 'aborted', measured(40))).toBeNull();
    expect(cutShortWarning(step, 'maxDuration', measured(100))).toBeNull();
    expect(cutShortWarning({ ...step, measure: { durationMs: 5000, maxDurationMs: 30_000 } }, 'maxDuration', measured(40))).toBeNull();
  });
});
