/**
 * Open-loop arrival schedules (perf_analyzer's rate schedule): the driver only ever asks for the
 * next send time. Pure and seeded, so a step's schedule is the same on every machine.
 */
import { mulberry32 } from '../random.js';
import type { ArrivalProcess } from '../core/workload.js';

export interface ArrivalSchedule {
  /** The next send's offset in ms from the schedule's start; non-decreasing, the first is 0. */
  next(): number;
}

/** Sends exactly 1000 / rate ms apart: 0, gap, 2 * gap, ... */
export function constantArrivals(ratePerSec: number): ArrivalSchedule {
  const rate = checkedRate(ratePerSec);
  let index = 0;
  // Computed from the index (not by summing gaps), so long schedules do not drift.
  return { next: () => (index++ * 1000) / rate };
}

/**
 * A Poisson process: exponential gaps with mean 1000 / rate ms. The first send is at 0, like the
 * constant schedule, so both start the step with a send.
 */
export function poissonArrivals(ratePerSec: number, seed: number): ArrivalSchedule {
  const meanGapMs = 1000 / checkedRate(ratePerSec);
  const random = mulberry32(seed);
  let offsetMs = 0;
  let started = false;
  return {
    next: () => {
      if (!started) {
        started = true;
        return 0;
      }
      // random() is in [0, 1), so 1 - random() is in (0, 1] and the log is finite.
      offsetMs += -Math.log(1 - random()) * meanGapMs;
      return offsetMs;
    },
  };
}

const ARRIVALS = {
  constant: (ratePerSec) => constantArrivals(ratePerSec),
  poisson: (ratePerSec, seed) => poissonArrivals(ratePerSec, seed),
} satisfies Record<ArrivalProcess, (ratePerSec: number, seed: number) => ArrivalSchedule>;

/** A fresh schedule for one step; the seed only matters for random processes. */
export function createArrivals(process: ArrivalProcess, ratePerSec: number, seed: number): ArrivalSchedule {
  return ARRIVALS[process](ratePerSec, seed);
}

function checkedRate(ratePerSec: number): number {
  if (!Number.isFinite(ratePerSec) || ratePerSec <= 0) {
    throw new RangeError(`arrival rate must be a finite number of requests per second > 0, got ${ratePerSec}`);
  }
  return ratePerSec;
}
