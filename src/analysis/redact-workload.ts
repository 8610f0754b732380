/**
 * The workload as a report echoes it: literal header values (API keys, test-mode switches) become
 * "<redacted>"; `{ env: NAME }` stays as written (a name, not a value). Auth specs hold only
 * variable names and URLs hold no credentials (the schema refuses them), so nothing else changes.
 */
import type { Workload } from '../core/workload.js';
import { maskUrlValue } from '../url-credentials.js';

export const REDACTED = '<redacted>';

export function redactWorkload(workload: Workload): Workload {
  const { target } = workload;
  if (target.kind !== 'http') return workload;
  const headers = Object.fromEntries(
    Object.entries(target.headers).map(([name, value]) => [name, 'env' in value ? value : { value: REDACTED }]),
  );
  // Metrics URLs may carry user:password (sent as basic auth): masked like every URL a message quotes.
  const serverMetrics = target.serverMetrics && { ...target.serverMetrics, urls: target.serverMetrics.urls.map(maskUrlValue) };
  return { ...workload, target: { ...target, headers, ...(serverMetrics && { serverMetrics }) } };
}
