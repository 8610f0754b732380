/**
 * The Pareto set of (p95 latency, throughput): steps no other step beats on both, so every other
 * step is a worse trade. Lower p95 and higher items/s are better.
 */

/** A measured step as the Pareto set sees it; a StepReport fits. */
export interface ParetoSubject {
  readonly batchSize: number;
  readonly throughput: { readonly itemsPerSec: number };
  readonly latencyMs: { readonly e2e?: { readonly p95: number } };
}

/** Whether `a` dominates `b`: no worse on both axes and strictly better on one. */
function dominates(a: ParetoSubject, b: ParetoSubject): boolean {
  const aP95 = a.latencyMs.e2e?.p95 ?? Infinity;
  const bP95 = b.latencyMs.e2e?.p95 ?? Infinity;
  const aRate = a.throughput.itemsPerSec;
  const bRate = b.throughput.itemsPerSec;
  return aP95 <= bP95 && aRate >= bRate && (aP95 < bP95 || aRate > bRate);
}

/**
 * Steps not dominated by any other, in ascending batch size. Steps that measured nothing (no e2e
 * p95 or no throughput) are left out; exact ties on both axes dominate neither, so both stay.
 */
export function paretoSet<S extends ParetoSubject>(steps: readonly S[]): S[] {
  const measured = steps.filter((step) => step.latencyMs.e2e !== undefined && step.throughput.itemsPerSec > 0);
  return measured
    .filter((step) => !measured.some((other) => other !== step && dominates(other, step)))
    .sort((a, b) => a.batchSize - b.batchSize);
}
