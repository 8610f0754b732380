/** A step's server metrics from the run's scrapers, with the client's side of the same step to check them against. */
import type { StepMeasurement } from '../core/measurement.js';
import { measuredItems } from '../core/measurement.js';
import type { ServerStepMetrics } from '../core/report/server-metrics.js';
import type { Step } from '../core/workload.js';
import type { ServerMetricsSession } from '../telemetry/server-metrics/session.js';

/**
 * Null without scrapers. A static-batching step sends b texts per request and the server counts
 * the request once, so the client's count is set in requests, not items.
 */
export async function serverStepMetrics(
  session: ServerMetricsSession | null,
  step: Step,
  measurement: StepMeasurement,
  window: { readonly fromMs: number; readonly toMs: number },
  what: string,
  warn: (message: string) => void,
): Promise<ServerStepMetrics | null> {
  if (session === null) return null;
  const itemsPerRequest = step.mode === 'static' ? step.batchSize : 1;
  const outcome = await session.stepReport(
    window.fromMs,
    window.toMs,
    {
      requests: Math.round(measuredItems(measurement) / itemsPerRequest),
      items: measurement.completed,
      inferenceMsMean: measurement.latencyMs.inference?.mean ?? null,
    },
    what,
  );
  for (const warning of outcome.warnings) warn(warning);
  return outcome.metrics;
}
