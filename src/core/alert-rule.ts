/** An alert rule from a budgets file (`p95(ml_pipeline_time) > 3500ms for 10m`), as parsed. */

export const ALERT_OPS = ['>=', '<=', '>', '<'] as const;

export type AlertOp = (typeof ALERT_OPS)[number];

export const LATENCY_ALERT_METRICS = ['ml_pipeline_time', 'api_response_time'] as const;

export type LatencyAlertMetric = (typeof LATENCY_ALERT_METRICS)[number];

export const ALERT_METRICS = [...LATENCY_ALERT_METRICS, 'error_rate', 'throughput'] as const;

export type AlertMetric = (typeof ALERT_METRICS)[number];

export interface AlertRuleBase {
  /** The rule as written, for findings and messages. */
  readonly text: string;
  readonly op: AlertOp;
  /** How long the condition must hold over consecutive windows before the rule fires. */
  readonly forMs: number;
}

export type AlertRule =
  | (AlertRuleBase & { readonly metric: LatencyAlertMetric; readonly percentile: 'p95'; readonly thresholdMs: number })
  | (AlertRuleBase & { readonly metric: 'error_rate'; readonly thresholdRatio: number })
  | (AlertRuleBase & { readonly metric: 'throughput'; readonly thresholdPerSec: number });
