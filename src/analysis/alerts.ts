/**
 * Alert rules over a step's measurement windows. A rule fires when its condition holds in
 * consecutive windows that together cover at least its `for` duration. A window where the metric
 * cannot be measured (no item finished, so no p95 or error rate) breaks the run of windows.
 * A step whose windows span less than `for` cannot show the rule holding that long: it is
 * "not evaluated", never a pass.
 */
import type { WindowStat } from '../core/measurement.js';
import type { Stage } from '../core/stage.js';
import type { AlertOp, AlertRule } from '../core/alert-rule.js';
import type { AlertFinding, FindingBase } from '../core/report/verdicts.js';
import { alertWatches } from '../workload/stage-budgets.js';

/** What alerts need of a step; a StepReport fits. */
export interface AlertSubject {
  readonly index: number;
  readonly stage: Stage;
  readonly batchSize: number;
  readonly windows: readonly WindowStat[];
}

/** Windows closer than this count as adjacent (window edges are float ms). */
const ADJACENT_MS = 1;

const COMPARE = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
} as const satisfies Record<AlertOp, (value: number, threshold: number) => boolean>;

/** The rule's metric in one window, or null when the window cannot measure it. */
export function windowValue(rule: AlertRule, window: WindowStat): number | null {
  switch (rule.metric) {
    case 'ml_pipeline_time':
    case 'api_response_time':
      return window.e2eP95Ms;
    case 'error_rate': {
      const items = window.completed + window.errors;
      return items > 0 ? window.errors / items : null;
    }
    case 'throughput': {
      const seconds = (window.endMs - window.startMs) / 1000;
      return seconds > 0 ? window.completed / seconds : null;
    }
  }
}

function thresholdOf(rule: AlertRule): number {
  switch (rule.metric) {
    case 'ml_pipeline_time':
    case 'api_response_time':
      return rule.thresholdMs;
    case 'error_rate':
      return rule.thresholdRatio;
    case 'throughput':
      return rule.thresholdPerSec;
  }
}

/** "10m", "90s", "1500ms". */
export function formatRuleDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** One finding per rule and watched step, in rule order then step order. */
export function evaluateAlerts(rules: readonly AlertRule[], steps: readonly AlertSubject[]): AlertFinding[] {
  const findings: AlertFinding[] = [];
  for (const rule of rules) {
    for (const step of steps) {
      if (alertWatches(rule.metric, step.stage)) findings.push(evaluateRule(rule, step));
    }
  }
  return findings;
}

export function evaluateRule(rule: AlertRule, step: AlertSubject): AlertFinding {
  const base: FindingBase = { rule, stepIndex: step.index, stage: step.stage, batchSize: step.batchSize };
  const windows = [...step.windows].sort((a, b) => a.startMs - b.startMs);
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (first === undefined || last === undefined) return { ...base, kind: 'not-evaluated', reason: 'no measurement windows recorded' };
  if (last.endMs - first.startMs < rule.forMs) {
    return { ...base, kind: 'not-evaluated', reason: `step shorter than ${formatRuleDuration(rule.forMs)}` };
  }

  const firing = breachRuns(rule, windows).filter((run) => run.endMs - run.startMs >= rule.forMs);
  const firstRun = firing[0];
  if (firstRun === undefined) return { ...base, kind: 'quiet' };
  const firedAtMs = firstRun.startMs + rule.forMs;
  const breachedMs = firing.reduce((sum, run) => sum + (run.endMs - run.startMs), 0);
  const worstValue = firing.map((run) => run.worst).reduce((a, b) => worse(rule.op, a, b));
  return { ...base, kind: 'fired', firedAtMs, firedAfterMs: firedAtMs - first.startMs, breachedMs, worstValue };
}

interface BreachRun {
  readonly startMs: number;
  readonly endMs: number;
  readonly worst: number;
}

/** Maximal runs of adjacent windows (sorted by start) in which the rule's condition holds. */
function breachRuns(rule: AlertRule, windows: readonly WindowStat[]): BreachRun[] {
  const threshold = thresholdOf(rule);
  const holds = COMPARE[rule.op];
  const runs: BreachRun[] = [];
  let current: BreachRun | null = null;
  for (const window of windows) {
    const value = windowValue(rule, window);
    if (value === null || !holds(value, threshold)) {
      if (current !== null) runs.push(current);
      current = null;
      continue;
    }
    if (current !== null && window.startMs - current.endMs <= ADJACENT_MS) {
      current = { startMs: current.startMs, endMs: window.endMs, worst: worse(rule.op, current.worst, value) };
    } else {
      if (current !== null) runs.push(current);
      current = { startMs: window.startMs, endMs: window.endMs, worst: value };
    }
  }
  if (current !== null) runs.push(current);
  return runs;
}

/** The value further past the threshold: the larger for > / >=, the smaller for < / <=. */
function worse(op: AlertOp, a: number, b: number): number {
  return op === '>' || op === '>=' ? Math.max(a, b) : Math.min(a, b);
}

/** The metric's value in the rule's own terms: "3612 ms", "2.5 %", "41.3 items/s". */
function formatValue(rule: AlertRule, value: number): string {
  switch (rule.metric) {
    case 'ml_pipeline_time':
    case 'api_response_time':
      return `${Number(value.toFixed(1))} ms`;
    case 'error_rate':
      return `${Number((value * 100).toFixed(2))} %`;
    case 'throughput':
      return `${Number(value.toFixed(1))} items/s`;
  }
}

/** One line per finding: `alert "error_rate > 1% for 5m" on step 3 (pipeline batch 2): fired after 312 s (worst 2.5 %)`. */
export function describeFinding(finding: AlertFinding): string {
  const head = `alert "${finding.rule.text}" on step ${finding.stepIndex} (${finding.stage} batch ${finding.batchSize})`;
  switch (finding.kind) {
    case 'fired':
      return `${head}: fired ${Number((finding.firedAfterMs / 1000).toFixed(1))} s into the step (held ${Number((finding.breachedMs / 1000).toFixed(1))} s in all, worst ${formatValue(finding.rule, finding.worstValue)})`;
    case 'quiet':
      return `${head}: did not fire`;
    case 'not-evaluated':
      return `${head}: not evaluated (${finding.reason})`;
  }
}
