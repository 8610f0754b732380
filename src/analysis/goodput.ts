/**
 * Goodput: items per second that met the latency target. Items over the target still cost the
 * system the same work but are worth nothing to a caller with a deadline.
 */
import { decodeHistogram } from '../metrics/histogram.js';
import { countAtOrBelowUs, recordedBuckets, totalCount } from './histogram-buckets.js';

const US_PER_MS = 1000;
const MS_PER_SEC = 1000;

/** A measured step as goodput sees it; a StepMeasurement fits. */
export interface GoodputSubject {
  readonly completed: number;
  readonly measuredMs: number;
  readonly histograms: { readonly e2e?: string };
}

export interface Goodput {
  readonly targetMs: number;
  /** Completed items within the target per measured second. */
  readonly itemsPerSec: number;
  /** Share of the e2e samples at or below the target (0..1). */
  readonly metShare: number;
}

/**
 * From the step's e2e histogram: the share of samples at or below `targetMs` (HDR resolution: a
 * sample within 0.1 % of the target counts as met), times completed items, per measured second.
 * Scaling by completed / histogram count keeps it in items even if the histogram holds fewer
 * samples (e.g. one per request). Null when there is no e2e histogram, it is empty, or nothing
 * was measured.
 */
export function goodput(step: GoodputSubject, targetMs: number): Goodput | null {
  const encoded = step.histograms.e2e;
  if (encoded === undefined || !(step.measuredMs > 0)) return null;
  const buckets = recordedBuckets(decodeHistogram(encoded));
  const count = totalCount(buckets);
  if (count === 0) return null;
  const metShare = countAtOrBelowUs(buckets, targetMs * US_PER_MS) / count;
  return { targetMs, itemsPerSec: (metShare * step.completed) / (step.measuredMs / MS_PER_SEC), metShare };
}
