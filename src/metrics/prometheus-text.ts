/**
 * The generic part of the Prometheus text exposition format (0.0.4): label and number text, and a
 * metric family from plain samples. Pure; serve's metrics and the live run exporter both use it.
 */
export type Labels = Readonly<Record<string, string>>;

export type MetricType = 'counter' | 'gauge' | 'summary';

export interface MetricSample {
  readonly labels?: Labels;
  readonly value: number;
  /** A summary's `_sum` or `_count` line; absent for the family's own samples. */
  readonly suffix?: '_sum' | '_count';
}

/** `{k="v",...}` with backslash, newline and quote escaped; "" for no labels. */
export function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escaped = entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return `{${escaped.join(',')}}`;
}

export function numberText(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isFinite(value) ? String(value) : 'NaN';
}

/** HELP, TYPE and one line per sample; a family with no samples still says what it is. */
export function metricFamily(name: string, help: string, type: MetricType, samples: readonly MetricSample[]): string {
  const lines = [`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`];
  for (const sample of samples) lines.push(`${name}${sample.suffix ?? ''}${labelText(sample.labels ?? {})} ${numberText(sample.value)}`);
  return lines.join('\n');
}
