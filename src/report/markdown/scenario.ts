/**
 * report.md's scenario part: the verdict sentence, the load stages as run, the kind's own numbers
 * (recovery, drift and leaks, stress levels) and, for short runs, the timeline window by window.
 */
import { stepOfStage, windowErrorRate } from '../../analysis/scenario-windows.js';
import { placeStages, type PlacedStage } from '../../load/placed-stages.js';
import type {
  DriftFit,
  ScenarioVerdict,
  SoakVerdict,
  SpikeVerdict,
  SteadyVerdict,
  StressLevel,
  StressVerdict,
} from '../../core/report/scenario-verdict.js';
import { formatBytes, formatMs, formatPct, formatRate } from '../../format.js';
import { bottleneckSection } from './bottleneck.js';
import { renderTable, type Column } from './table.js';
import type { RunReport } from '../../core/report/run.js';
import type { ScenarioReport, TimelineWindow } from '../../core/report/scenario.js';
import type { StepReport } from '../../core/report/step.js';

/** Longer timelines are for report.html's chart and report.json, not a table to scroll. */
export const MAX_TIMELINE_ROWS = 60;

const ms = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : formatMs(value));

function levelUnit(scenario: ScenarioReport): string {
  return scenario.axis === 'rate' ? 'req/s' : 'in flight';
}

interface StageRow {
  readonly stage: PlacedStage;
  readonly step: StepReport | undefined;
}

function stageColumns(scenario: ScenarioReport): Column<StageRow>[] {
  const e2e = (r: StageRow, stat: 'p95' | 'p99'): string => ms(r.step?.latencyMs.e2e?.[stat]);
  return [
    { header: 'stage', cell: (r) => r.stage.name },
    { header: levelUnit(scenario), align: 'right', cell: (r) => `${formatRate(r.stage.fromLevel)} -> ${formatRate(r.stage.toLevel)}` },
    { header: 'duration', align: 'right', cell: (r) => formatMs(r.stage.endMs - r.stage.startMs) },
    { header: 'items/s', align: 'right', cell: (r) => (r.step === undefined ? '-' : formatRate(r.step.throughput.itemsPerSec)) },
    { header: 'p95 e2e', align: 'right', cell: (r) => e2e(r, 'p95') },
    { header: 'p99 e2e', align: 'right', cell: (r) => e2e(r, 'p99') },
    {
      header: 'errors',
      align: 'right',
      cell: (r) => (r.step === undefined ? '-' : `${r.step.errors.total} (${formatPct(r.step.errors.rate)})`),
    },
    {
      header: 'within budget',
      cell: (r) => (r.step === undefined ? 'not run' : `${r.step.withinBudget ? '✓' : '✗'}${r.step.complete ? '' : ' (incomplete)'}`),
    },
  ];
}

function stagesTable(report: RunReport, scenario: ScenarioReport): string {
  const rows = placeStages(scenario.stages, scenario.startedAtMs).map((stage) => ({ stage, step: stepOfStage(report.steps, stage.index) }));
  return renderTable(stageColumns(scenario), rows);
}

function steadyNumbers(v: SteadyVerdict): string {
  const breach = v.firstBreachAtMs === null ? 'no window breached the budget' : `first breach at ${formatMs(v.firstBreachAtMs)}`;
  return [
    `- Over the hold: p50 ${ms(v.p50Ms)}, p95 ${ms(v.p95Ms)}, p99 ${ms(v.p99Ms)}, errors ${formatPct(v.errorRate)}`,
    `- Windows within budget: ${v.windowsWithinBudget} of ${v.windowsJudged} judged (windows with fewer than 20 items are not judged); ${breach}`,
  ].join('\n');
}

function spikeNumbers(v: SpikeVerdict): string {
  const recovery = v.recoveryMs === null ? 'not back before the run ended' : formatMs(v.recoveryMs);
  return [
    `- Pre-spike p95 (typical window): ${ms(v.preSpikeP95Ms)}`,
    `- Spike from ${formatMs(v.spikeStartAtMs)} to ${formatMs(v.spikeEndAtMs)}: worst window p95 ${ms(v.spikeWorstP95Ms)}, errors ${formatPct(v.spikeErrorRate)}`,
    `- Recovery (p95 back within 10 % of pre-spike, for 3 windows running): ${recovery}, target ${formatMs(v.recoveryTargetMs)}`,
  ].join('\n');
}

function driftText(fit: DriftFit | null, unit: (perHour: number) => string): string {
  if (fit === null) return 'not enough windows to fit';
  const relative = (value: number | null): string => (value === null ? '-' : `${value >= 0 ? '+' : ''}${formatPct(value)}`);
  return `${unit(fit.slopePerHour)} per hour (${relative(fit.relativePerHour)}/h, ${relative(fit.relativeOverRun)} over the run, ${fit.direction}; Theil-Sen over ${fit.points} points)`;
}

function soakNumbers(v: SoakVerdict): string {
  const { leak } = v;
  const signed = (text: string, value: number): string => (value >= 0 ? `+${text}` : text);
  const rss =
    leak.rssStartBytes === null || leak.rssEndBytes === null
      ? 'RSS -'
      : `RSS ${formatBytes(leak.rssStartBytes)} -> ${formatBytes(leak.rssEndBytes)}`;
  const tensors = leak.tfTensorsStart === null ? 'TF.js tensors -' : `TF.js tensors ${leak.tfTensorsStart} -> ${leak.tfTensorsEnd ?? '-'}`;
  return [
    `- p95 drift: ${driftText(v.p95Drift, (perHour) => signed(formatMs(perHour), perHour))}`,
    `- Throughput drift: ${driftText(v.throughputDrift, (perHour) => `${signed(formatRate(perHour), perHour)} items/s`)}`,
    `- Leak: **${leak.verdict}**: ${leak.reason}`,
    `- Memory: ${rss}; heap ${driftText(leak.heapDrift, (perHour) => signed(formatBytes(perHour), perHour))}; ${tensors}`,
  ].join('\n');
}

function stressNumbers(v: StressVerdict, scenario: ScenarioReport): string {
  const mark = (level: StressLevel): string =>
    level.level === v.breakingLevel ? 'breaking point' : level.level === v.maxSustainableLevel ? 'max sustainable' : '';
  const columns: Column<StressLevel>[] = [
    { header: `level (${levelUnit(scenario)})`, align: 'right', cell: (l) => formatRate(l.level) },
    { header: 'items/s', align: 'right', cell: (l) => formatRate(l.itemsPerSec) },
    { header: 'p95 e2e', align: 'right', cell: (l) => ms(l.p95Ms) },
    { header: 'p99 e2e', align: 'right', cell: (l) => ms(l.p99Ms) },
    { header: 'error rate', align: 'right', cell: (l) => formatPct(l.errorRate) },
    { header: 'within budget', cell: (l) => (l.withinBudget ? '✓' : '✗') },
    { header: '', cell: mark },
  ];
  const graceful = v.graceful === null ? 'not judged (nothing broke)' : v.graceful ? 'yes' : 'no';
  const lines = [
    renderTable(columns, v.levels),
    '',
    `- Breaking point: ${v.breakingLevel === null ? 'none' : `${formatRate(v.breakingLevel)} (${v.breakingReason ?? ''})`}`,
  ];
  lines.push(
    `- Max sustainable: ${v.maxSustainableLevel === null ? 'none' : formatRate(v.maxSustainableLevel)}`,
    `- Graceful degradation: ${graceful}`,
  );
  return lines.join('\n');
}

function kindNumbers(scenario: ScenarioReport): string {
  const verdict: ScenarioVerdict = scenario.verdict;
  switch (verdict.kind) {
    case 'steady':
      return steadyNumbers(verdict);
    case 'spike':
      return spikeNumbers(verdict);
    case 'soak':
      return soakNumbers(verdict);
    case 'stress':
      return stressNumbers(verdict, scenario);
  }
}

function timelineSection(scenario: ScenarioReport): string {
  const windows = scenario.timeline;
  if (windows.length === 0) return 'No timeline windows were recorded.';
  if (windows.length > MAX_TIMELINE_ROWS) {
    return `${windows.length} timeline windows of ${formatMs(scenario.windowMs)}: see report.html for the chart and report.json \`scenario.timeline\` for every window.`;
  }
  const columns: Column<TimelineWindow>[] = [
    { header: 'at', align: 'right', cell: (w) => formatMs(w.startMs - scenario.startedAtMs) },
    { header: levelUnit(scenario), align: 'right', cell: (w) => formatRate(w.level) },
    { header: 'completed', align: 'right', cell: (w) => String(w.completed) },
    { header: 'errors', align: 'right', cell: (w) => (w.errors === 0 ? '0' : `${w.errors} (${formatPct(windowErrorRate(w))})`) },
    { header: 'p50', align: 'right', cell: (w) => ms(w.p50Ms) },
    { header: 'p95', align: 'right', cell: (w) => ms(w.p95Ms) },
    { header: 'p99', align: 'right', cell: (w) => ms(w.p99Ms) },
  ];
  return `**Timeline** (windows of ${formatMs(scenario.windowMs)}, from the scenario's start):\n\n${renderTable(columns, windows)}`;
}

/** '' for a sweep (no scenario). */
/** The bottleneck lines under the stages table, with the blank line after them; none when no step has a verdict. */
function scenarioBottlenecks(report: RunReport): string[] {
  const section = bottleneckSection(report.steps);
  return section === '' ? [] : [section, ''];
}

export function renderScenarioSection(report: RunReport): string {
  const scenario = report.scenario;
  if (scenario === null) return '';
  const { verdict } = scenario;
  const scale = `time scale ${scenario.timeScale}, load scale ${scenario.loadScale}`;
  const ended =
    scenario.stoppedEarly === null
      ? `all ${scenario.stages.length} stages ran`
      : `${scenario.stagesRun} of ${scenario.stages.length} stages ran to their end (stopped early: ${scenario.stoppedEarly})`;
  return [
    `## Scenario: ${scenario.kind}`,
    '',
    `**${verdict.passed ? 'Passed' : 'Failed'}.** ${verdict.summary}`,
    '',
    `- ${scenario.stage} at batch ${scenario.batchSize}, load as ${levelUnit(scenario)}, ${scale}; ${ended}`,
    '',
    stagesTable(report, scenario),
    '',
    ...scenarioBottlenecks(report),
    kindNumbers(scenario),
    '',
    timelineSection(scenario),
  ].join('\n');
}
