/**
 * How an override is named in an error. Library code names fields ("batchSizes"); the CLI hands
 * in its flag table (cli/run-flags.ts RUN_FLAGS, beside the option definitions), so a bad value is
 * reported by the flag the user typed. One list of fields, so each table must name every one.
 */
export const OVERRIDE_FIELDS = [
  'batchSizes',
  'stages',
  'backend',
  'instances',
  'requests',
  'durationMs',
  'precision',
  'warmupRequests',
  'maxNewTokens',
  'seed',
  'p95Ms',
  'p99Ms',
  'maxErrorRate',
  'targetUrl',
  'protocol',
  'concurrency',
  'ratesPerSec',
  'arrivals',
  'maxInFlight',
  'connections',
  'timeoutMs',
  'uniqueTexts',
  'health',
  'serverMetrics',
  'serverMetricsIntervalMs',
  'stabilityWindows',
  'stabilityTolerance',
  'maxExtendMs',
  'stability',
  'repeat',
  'search',
  'timeScale',
  'loadScale',
  'schedule',
  'scenario',
  'resume',
  'out',
  'serverLaunch',
  'serverParams',
  'serverHealth',
  'workers',
] as const;

export type OverrideField = (typeof OVERRIDE_FIELDS)[number];

export type OverrideNames = Readonly<Record<OverrideField, string>>;

/** A library caller's names: `overrides.<field>`. */
export const FIELD_NAMES: OverrideNames = Object.fromEntries(OVERRIDE_FIELDS.map((field) => [field, `overrides.${field}`])) as Record<
  OverrideField,
  string
>;
