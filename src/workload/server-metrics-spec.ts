/**
 * `target.serverMetrics` (and --server-metrics, --no-server-metrics, --server-metrics-interval):
 * which Prometheus metrics URLs a run scrapes beside an HTTP target. A metrics URL may carry
 * user:password (sent as basic auth); every message and report shows it masked.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { maskUrlValue } from '../url-credentials.js';
import type { HttpTargetSpec, ServerMetricsSpec } from '../core/workload.js';
import { durationMs, expected, strictObject } from './schema-kit.js';
import { describeValue } from './units.js';

export const SERVER_METRICS_DEFAULTS: ServerMetricsSpec = { enabled: true, urls: [], intervalMs: 250 };

/** Scrape interval bounds: faster than 10 ms only loads the server; slower than a minute says nothing per step. */
export const SERVER_METRICS_INTERVAL_MS = { min: 10, max: 60_000 } as const;

/** http(s) only; the message never repeats credentials or a query. */
export function checkMetricsUrl(raw: string): string | { readonly problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      problem: `expected an http:// or https:// metrics URL such as http://127.0.0.1:8002/metrics, got ${describeValue(maskUrlValue(raw))}`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `expected an http:// or https:// metrics URL, got a ${url.protocol} URL` };
  return url.href;
}

const metricsUrl = z.string({ error: expected('an http:// or https:// metrics URL') }).transform((raw, ctx) => {
  const checked = checkMetricsUrl(raw);
  if (typeof checked === 'string') return checked;
  ctx.issues.push({ code: 'custom', message: checked.problem, input: '<url>' });
  return z.NEVER;
});

const urlList = z.array(metricsUrl, { error: expected('a list of metrics URLs') });

const interval = durationMs().refine((ms) => ms >= SERVER_METRICS_INTERVAL_MS.min && ms <= SERVER_METRICS_INTERVAL_MS.max, {
  error: `expected a scrape interval from ${SERVER_METRICS_INTERVAL_MS.min} ms to ${SERVER_METRICS_INTERVAL_MS.max / 1000} s`,
});

/** false (off), true (the target's own /metrics), a list of URLs, or { urls, interval, enabled }. */
export const ServerMetricsYamlSchema = z.union(
  [
    z.boolean(),
    urlList,
    strictObject({
      enabled: z.boolean({ error: expected('true or false') }).optional(),
      urls: urlList.optional(),
      interval: interval.optional(),
    }),
  ],
  { error: expected('false, true, a list of metrics URLs, or { urls, interval }') },
);

export type ServerMetricsYaml = z.output<typeof ServerMetricsYamlSchema>;

export function resolveServerMetrics(yaml: ServerMetricsYaml | undefined): ServerMetricsSpec {
  if (yaml === undefined || yaml === true) return SERVER_METRICS_DEFAULTS;
  if (yaml === false) return { ...SERVER_METRICS_DEFAULTS, enabled: false };
  if (Array.isArray(yaml)) return { ...SERVER_METRICS_DEFAULTS, urls: yaml };
  return { enabled: yaml.enabled ?? true, urls: yaml.urls ?? [], intervalMs: yaml.interval ?? SERVER_METRICS_DEFAULTS.intervalMs };
}

/** The flags over the workload's spec: URLs (or true: on, the target's own /metrics) replace the file's; false turns it off. */
export interface ServerMetricsOverrides {
  readonly serverMetrics?: readonly string[] | boolean;
  readonly serverMetricsIntervalMs?: number;
}

export function applyServerMetricsOverrides(
  spec: HttpTargetSpec,
  o: ServerMetricsOverrides,
  names: OverrideNames = FIELD_NAMES,
): HttpTargetSpec {
  let current = spec.serverMetrics ?? SERVER_METRICS_DEFAULTS;
  if (o.serverMetrics === false) current = { ...current, enabled: false };
  else if (o.serverMetrics === true) current = { ...current, enabled: true, urls: [] };
  else if (o.serverMetrics !== undefined) {
    const urls = o.serverMetrics.map((raw) => {
      const checked = checkMetricsUrl(raw);
      if (typeof checked !== 'string') throw new InputError(names.serverMetrics, checked.problem);
      return checked;
    });
    current = { ...current, enabled: true, urls };
  }
  if (o.serverMetricsIntervalMs !== undefined) {
    const ms = o.serverMetricsIntervalMs;
    if (!(ms >= SERVER_METRICS_INTERVAL_MS.min && ms <= SERVER_METRICS_INTERVAL_MS.max)) {
      throw new InputError(
        names.serverMetricsIntervalMs,
        `expected a scrape interval from ${SERVER_METRICS_INTERVAL_MS.min} ms to ${SERVER_METRICS_INTERVAL_MS.max / 1000} s, got ${ms} ms`,
      );
    }
    current = { ...current, intervalMs: ms };
  }
  return { ...spec, serverMetrics: current };
}
