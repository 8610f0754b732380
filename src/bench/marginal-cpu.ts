/**
 * A client's CPU per request net of everything that does not grow with the load (start-up, module
 * loading, reports, exit): the same client runs the same cell twice in one round, for S and for 3S
 * seconds, and the extra CPU of the longer run is divided by its extra requests. What a separate
 * start-up run subtracted before carried that run's own noise (+-0.3 s against ~1 s of load CPU);
 * here both runs pay the same start-up, so it cancels in the difference. The intercept (the CPU the
 * line gives at zero requests) is the client's fixed cost per process. Pure arithmetic.
 */

/** One run's whole-process CPU and the requests it finished (ok or not). */
export interface CpuAtLength {
  readonly cpuMs: number;
  readonly requests: number;
}

export interface MarginalCpu {
  /** (CPU(3S) - CPU(S)) / (requests(3S) - requests(S)), in µs; may be <= 0 when noise outweighs the load. */
  readonly usPerRequest: number;
  /** CPU(S) - usPerRequest x requests(S): the CPU a run spends that does not scale with its requests, in ms. */
  readonly fixedMs: number;
}

/** null when the longer run did not finish more requests than the shorter one (no slope to take). */
export function marginalCpu(short: CpuAtLength, long: CpuAtLength): MarginalCpu | null {
  const extraRequests = long.requests - short.requests;
  if (!(extraRequests > 0)) return null;
  const usPerRequest = ((long.cpuMs - short.cpuMs) * 1000) / extraRequests;
  return { usPerRequest, fixedMs: short.cpuMs - (usPerRequest * short.requests) / 1000 };
}
