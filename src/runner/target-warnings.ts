/**
 * What a target adds to the run's warnings: what a failure class meant, once per class ("http_5xx:
 * 503 Service Unavailable" says more than a count), and each answer accepted despite a protocol
 * deviation, with how many responses had it. Also said by each load worker thread's own target.
 */
import { reportsErrorDetails, reportsNotices } from '../targets/capabilities.js';
import type { Target } from '../targets/target.js';

export function targetWarnings(target: Target): string[] {
  const warnings: string[] = [];
  if (reportsErrorDetails(target))
    for (const [errorClass, detail] of target.errorDetails) warnings.push(`first ${errorClass} error: ${detail}`);
  if (reportsNotices(target)) {
    for (const [notice, responses] of target.notices)
      warnings.push(`${notice} (${responses} ${responses === 1 ? 'response' : 'responses'})`);
  }
  return warnings;
}
