/**
 * Preflight before the first step: GET the health path or URL (the workload resolved the
 * protocol's default; null = skip). A target that is down fails the run at once with one clear line.
 */
import { TargetUnavailableError } from '../../errors.js';
import { describeFailure, oneShot } from './one-shot.js';
import type { SecretRedactor } from './redact.js';

export const HEALTH_TIMEOUT_MS = 5000;

/**
 * @param baseUrl the target URL as shown to the user (credentials stripped)
 * @param health a path on the target's origin or a full URL
 */
export async function checkHealth(
  baseUrl: string,
  health: string,
  headers: readonly string[],
  redactor: SecretRedactor,
  timeoutMs: number = HEALTH_TIMEOUT_MS,
): Promise<void> {
  const url = new URL(health, baseUrl);
  const shown = url.origin === new URL(baseUrl).origin ? `${url.pathname}${url.search}` : url.href;
  const { outcome } = await oneShot(url, { method: 'GET', headers, body: null }, timeoutMs);
  if (outcome.ok) return;
  const reason = describeFailure(outcome, redactor);
  const verb = outcome.statusCode === null ? 'is not reachable' : 'is not healthy';
  throw new TargetUnavailableError(`target ${baseUrl} ${verb}: ${reason} (health check GET ${shown})`);
}
