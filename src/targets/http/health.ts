/**
 * Preflight before the first step: GET the health routes in turn (the workload resolved them: the
 * protocol's own and the usual ones, or the one the user named) until one answers 2xx, and say
 * which it was. A route that is not there (404, 405, 501, a redirect, which is never followed) passes
 * to the next; a target that is down or unhealthy fails the run at once with one clear line.
 */
import { TargetUnavailableError } from '../../errors.js';
import type { HealthAnswer } from '../../core/report/environment.js';
import { describeFailure, oneShot } from './one-shot.js';
import type { SecretRedactor } from './redact.js';

export const HEALTH_TIMEOUT_MS = 5000;

/** "Not here" answers: the service lacks the route (a redirect is not followed, so it also says "elsewhere"). */
function routeMissing(statusCode: number): boolean {
  return statusCode === 404 || statusCode === 405 || statusCode === 501 || (statusCode >= 300 && statusCode < 400);
}

/**
 * @param baseUrl the target URL as shown to the user (credentials stripped)
 * @param routes paths on the target's origin or full URLs, tried in order (at least one)
 */
export async function checkHealth(
  baseUrl: string,
  routes: readonly string[],
  headers: readonly string[],
  redactor: SecretRedactor,
  timeoutMs: number = HEALTH_TIMEOUT_MS,
): Promise<HealthAnswer> {
  const origin = new URL(baseUrl).origin;
  const passedOver: string[] = [];
  for (const route of routes) {
    const url = new URL(route, baseUrl);
    const shown = url.origin === origin ? `${url.pathname}${url.search}` : url.href;
    const { outcome } = await oneShot(url, { method: 'GET', headers, body: null }, timeoutMs);
    if (outcome.ok) return { route: shown, passedOver };
    if (outcome.statusCode !== null && routeMissing(outcome.statusCode)) {
      passedOver.push(`${shown}: HTTP ${outcome.statusCode}`);
      continue;
    }
    const reason = describeFailure(outcome, redactor);
    const verb = outcome.statusCode === null ? 'is not reachable' : 'is not healthy';
    throw new TargetUnavailableError(`target ${baseUrl} ${verb}: ${reason} (health check GET ${shown})`);
  }
  throw new TargetUnavailableError(
    `target ${baseUrl} answered no health check route (GET ${passedOver.join(', ')}); give --health PATH for its route, or --no-health to skip the check`,
  );
}
