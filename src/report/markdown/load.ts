/**
 * report.md's parts for HTTP targets and load: the load-level column, server time and overhead
 * columns, the length of the text received, a measured-vs-requested column for steps the hard limit
 * cut short, the open-loop table (rate asked vs sent, late sends) and errors by class.
 */
import { formatMs, formatPct, formatRate } from '../../format.js';
import type { LatencyPhase } from '../../core/measurement.js';
import { describeHealth } from '../../core/report/environment.js';
import { markdownText, renderTable, type Column } from './table.js';
import type { RunReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';

function latency(step: StepReport, phase: LatencyPhase, stat: 'p50' | 'p95'): string {
  const summary = step.latencyMs[phase];
  return summary ? formatMs(summary[stat]) : '-';
}

/** "x8" (closed loop, in flight) or "20/s" (open loop, target rate). */
export function loadLevel(step: StepReport): string {
  if (step.openLoop) return `${formatRate(step.openLoop.targetRatePerSec)}/s`;
  return step.concurrency === null ? '-' : `x${step.concurrency}`;
}

/**
 * A load column when a stage ran some batch size at several load levels, or open loop; nothing
 * otherwise ("auto" in-process concurrency follows the batch size and needs no column).
 */
export function loadColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  const perBatch = new Map<string, number>();
  for (const step of steps) perBatch.set(`${step.mode}/${step.batchSize}`, (perBatch.get(`${step.mode}/${step.batchSize}`) ?? 0) + 1);
  const open = steps.some((step) => step.openLoop !== null);
  if (!open && [...perBatch.values()].every((count) => count === 1)) return [];
  return [{ header: open ? 'rate' : 'in flight', align: 'right', cell: loadLevel }];
}

/**
 * The mean in flight each closed-loop step really held, next to the N it planned ("15.2 of 16"),
 * when any step knows it: under-driving shows where it happened.
 */
export function heldColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  const closed = (step: StepReport): boolean => step.concurrency !== null && step.openLoop === null;
  if (!steps.some((step) => closed(step) && typeof step.achievedConcurrency === 'number')) return [];
  const cell = (step: StepReport): string =>
    closed(step) && typeof step.achievedConcurrency === 'number' ? `${step.achievedConcurrency.toFixed(1)} of ${step.concurrency}` : '-';
  return [{ header: 'held in flight', align: 'right', cell }];
}

/** Server-reported time and what surrounds it, when any step of the stage has them. */
export function serverColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  if (!steps.some((step) => step.latencyMs.server !== undefined)) return [];
  return [
    { header: 'server p50', align: 'right', cell: (s) => latency(s, 'server', 'p50') },
    { header: 'server p95', align: 'right', cell: (s) => latency(s, 'server', 'p95') },
    { header: 'overhead p50', align: 'right', cell: (s) => latency(s, 'overhead', 'p50') },
    { header: 'overhead p95', align: 'right', cell: (s) => latency(s, 'overhead', 'p95') },
  ];
}

/** The generated text each item received, when any step of the stage reported its length. */
export function outputTextColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  if (!steps.some((step) => step.outputText !== undefined)) return [];
  const chars = (value: number | undefined): string => (value === undefined ? '-' : String(Math.round(value)));
  return [
    { header: 'text chars mean', align: 'right', cell: (s) => chars(s.outputText?.meanChars) },
    { header: 'text chars p50', align: 'right', cell: (s) => chars(s.outputText?.p50Chars) },
  ];
}

/** The hard limit (maxDuration) ended it before the items it was asked to measure. */
export function cutShort(step: StepReport): boolean {
  return step.endedBy === 'maxDuration' && step.requested != null && step.measured !== undefined && step.measured < step.requested;
}

/** "77 of 100": measured against requested, shown for a stage where the hard limit cut a step short. */
export function measuredColumns(steps: readonly StepReport[]): Column<StepReport>[] {
  if (!steps.some(cutShort)) return [];
  const cell = (s: StepReport): string => {
    const measured = String(s.measured ?? '-');
    const of = s.requested == null ? measured : `${measured} of ${s.requested}`;
    return cutShort(s) ? `${of} (hard limit)` : of;
  };
  return [{ header: 'measured', align: 'right', cell }];
}

const OPEN_LOOP_COLUMNS: Column<StepReport>[] = [
  { header: 'batch', align: 'right', cell: (s) => String(s.batchSize) },
  { header: 'arrivals', cell: (s) => s.openLoop?.process ?? '-' },
  { header: 'target rate', align: 'right', cell: (s) => (s.openLoop ? `${formatRate(s.openLoop.targetRatePerSec)}/s` : '-') },
  { header: 'achieved', align: 'right', cell: (s) => (s.openLoop ? `${formatRate(s.openLoop.achievedRatePerSec)}/s` : '-') },
  { header: 'sends', align: 'right', cell: (s) => String(s.openLoop?.sends ?? '-') },
  {
    header: 'late sends',
    align: 'right',
    cell: (s) =>
      s.openLoop ? `${s.openLoop.lateSends} (${formatPct(s.openLoop.lateShare)}, > ${formatMs(s.openLoop.lateThresholdMs)})` : '-',
  },
  { header: 'max late', align: 'right', cell: (s) => (s.openLoop ? formatMs(s.openLoop.maxLateMs) : '-') },
  { header: 'in-flight cap', align: 'right', cell: (s) => (s.openLoop?.maxInFlight == null ? 'none' : String(s.openLoop.maxInFlight)) },
];

/** The open-loop table under a stage's step table; empty without open-loop steps. */
export function openLoopSection(steps: readonly StepReport[]): string {
  const open = steps.filter((step) => step.openLoop !== null);
  if (open.length === 0) return '';
  return [
    '**Open loop** (latency counts from each scheduled send, so queueing in the client shows):',
    '',
    renderTable(OPEN_LOOP_COLUMNS, open),
  ].join('\n');
}

const ERROR_COLUMNS: Column<StepReport>[] = [
  { header: 'batch', align: 'right', cell: (s) => String(s.batchSize) },
  { header: 'load', align: 'right', cell: loadLevel },
  { header: 'failed items', align: 'right', cell: (s) => String(s.errors.total) },
  { header: 'error rate', align: 'right', cell: (s) => formatPct(s.errors.rate) },
  {
    header: 'by class',
    cell: (s) =>
      Object.entries(s.errors.byClass)
        .sort(([, a], [, b]) => b - a)
        .map(([errorClass, count]) => `${errorClass} ${count}`)
        .join(', '),
  },
];

/** Errors by class for the stage's steps that had any; empty when none failed. */
export function errorsSection(steps: readonly StepReport[]): string {
  const failing = steps.filter((step) => step.errors.total > 0);
  if (failing.length === 0) return '';
  return ['**Errors by class:**', '', renderTable(ERROR_COLUMNS, failing)].join('\n');
}

/** "- Target: HTTP, protocol betterprompts, http://127.0.0.1:8301; health check GET /health answered" or "- Target: in process". */
export function targetLine(report: RunReport): string {
  const { target } = report;
  if (target.kind === 'inprocess') return `- Target: in process (${markdownText(target.description)})`;
  const line = `- Target: HTTP, protocol ${target.protocol ?? '-'}, ${markdownText(target.url ?? '-')}`;
  if (target.health === undefined) return line;
  return `${line}; health check ${target.health === null ? 'skipped' : markdownText(describeHealth(target.health))}`;
}
