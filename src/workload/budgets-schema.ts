/**
 * The YAML form of a budgets file (the performance guide's format, unchanged) and the grammar of
 * its alert rules. Objects are strict; every message reads "expected X, got Y". budgets-file.ts
 * turns the first issue into one InputError naming the file and the field path.
 *
 * Alert rules, one string each:
 *   p95(<latency metric>) <op> <duration> for <duration>     p95(ml_pipeline_time) > 3500ms for 10m
 *   error_rate <op> <ratio> for <duration>                    error_rate > 1% for 5m
 *   throughput <op> <items/s> for <duration>                  throughput < 50 for 1m
 * latency metrics: ml_pipeline_time (pipeline steps), api_response_time (classify and generate
 * steps); op: > >= < <=. Only p95: the measurement windows record p95 and nothing else.
 */
import { z } from 'zod';
import { ALERT_METRICS, type AlertOp, type AlertRule } from '../core/alert-rule.js';
import { expected, scalar, strictObject } from './schema-kit.js';
import { describeValue, parseDurationMs, parseRatio } from './units.js';

export const ALERT_RULE_SYNTAX =
  'a rule "p95(<ml_pipeline_time|api_response_time>) <op> <duration> for <duration>", "error_rate <op> <ratio> for <duration>" or "throughput <op> <items/s> for <duration>" with <op> one of > >= < <=, e.g. "p95(ml_pipeline_time) > 3500ms for 10m"';

const RULE_PATTERN = /^\s*(.+?)\s*(>=|<=|>|<)\s*(\S+)\s+for\s+(\S+)\s*$/;
const CALL_PATTERN = /^([A-Za-z_][\w]*)\s*\(\s*([A-Za-z_][\w]*)\s*\)$/;
const NAME_PATTERN = /^[A-Za-z_][\w]*$/;

/** A parsed rule, or the reason the text is not one (a message that says what is accepted). */
export function parseAlertRule(text: string): AlertRule | { readonly error: string } {
  const got = describeValue(text);
  const fail = (why: string) => ({ error: `expected ${ALERT_RULE_SYNTAX}; got ${got} (${why})` });
  const match = RULE_PATTERN.exec(text);
  if (!match) return fail('it is not "<metric> <op> <value> for <duration>"');
  const [, lhs = '', op = '>', valueText = '', forText = ''] = match;
  const forMs = parseDurationMs(forText);
  if (forMs === undefined || forMs <= 0) return fail(`"for ${forText}" is not a positive duration such as "5m" or "30s"`);
  const base = { text: text.trim(), op: op as AlertOp, forMs };

  const call = CALL_PATTERN.exec(lhs);
  const [fn, metric] = call ? [call[1] ?? '', call[2] ?? ''] : [null, lhs];
  if (!NAME_PATTERN.test(metric)) return fail(`"${lhs}" is not a metric or p95(<metric>)`);
  if (!(ALERT_METRICS as readonly string[]).includes(metric))
    return fail(`unknown metric "${metric}"; metrics: ${ALERT_METRICS.join(', ')}`);

  if (metric === 'ml_pipeline_time' || metric === 'api_response_time') {
    if (fn === null) return fail(`${metric} needs a percentile: p95(${metric})`);
    if (fn !== 'p95') return fail(`unknown function "${fn}": only p95, the one percentile measurement windows record`);
    const thresholdMs = parseDurationMs(valueText);
    if (thresholdMs === undefined || thresholdMs <= 0) return fail(`"${valueText}" is not a positive duration such as "3500ms"`);
    return { ...base, metric, percentile: 'p95', thresholdMs };
  }
  if (fn !== null) return fail(`${metric} takes no function: write "${metric} ${op} ..."`);
  if (metric === 'error_rate') {
    const thresholdRatio = parseRatio(valueText);
    if (thresholdRatio === undefined || thresholdRatio < 0 || thresholdRatio > 1)
      return fail(`"${valueText}" is not a ratio such as "1%" or 0.01`);
    return { ...base, metric, thresholdRatio };
  }
  const thresholdPerSec = Number(valueText);
  if (!/^\d+(?:\.\d+)?$/.test(valueText) || !Number.isFinite(thresholdPerSec))
    return fail(`"${valueText}" is not a number of items/s such as 50`);
  return { ...base, metric: 'throughput', thresholdPerSec };
}

const positiveDurationMs = (example: string) =>
  scalar(`a positive duration such as "${example}" (units ms, s, m, h; a bare number means ms)`, (raw) => {
    const ms = parseDurationMs(raw);
    return ms !== undefined && ms > 0 ? ms : undefined;
  });

const ratio = (example: string) =>
  scalar(`a percentage from 0% to 100% such as "${example}", or a ratio from 0 to 1`, (raw) => {
    const value = parseRatio(raw);
    return value !== undefined && value >= 0 && value <= 1 ? value : undefined;
  });

function latencySection(p95Example: string, p99Example: string) {
  return strictObject({
    p95: positiveDurationMs(p95Example),
    p99: positiveDurationMs(p99Example),
    degradation_threshold: ratio('10%').optional(),
  }).superRefine((section, ctx) => {
    if (section.p99 < section.p95) {
      ctx.addIssue({
        code: 'custom',
        path: ['p99'],
        input: section.p99,
        message: `expected at least p95 (${section.p95} ms), got ${section.p99} ms`,
      });
    }
  });
}

const alertRule = z.string({ error: expected(ALERT_RULE_SYNTAX) }).transform((text, ctx) => {
  const rule = parseAlertRule(text);
  if ('error' in rule) {
    ctx.issues.push({ code: 'custom', message: rule.error, input: text });
    return z.NEVER;
  }
  return rule;
});

export const BudgetsYamlSchema = strictObject({
  performance_budgets: strictObject({
    api_response_time: latencySection('300ms', '500ms').optional(),
    ml_pipeline: latencySection('3000ms', '5000ms').optional(),
    error_rate: strictObject({ max: ratio('1%'), alert_threshold: ratio('0.5%').optional() })
      .superRefine((section, ctx) => {
        if (section.alert_threshold !== undefined && section.alert_threshold > section.max) {
          ctx.addIssue({
            code: 'custom',
            path: ['alert_threshold'],
            input: section.alert_threshold,
            message: `expected at most max (${section.max * 100}%), got ${section.alert_threshold * 100}%`,
          });
        }
      })
      .optional(),
  }),
  alerts: z.array(alertRule, { error: expected('a list of alert rules') }).optional(),
});

export type BudgetsYaml = z.output<typeof BudgetsYamlSchema>;
