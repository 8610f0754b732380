/** report.md: what a person reads first. Renders a RunReport; computes nothing new. */
import { failedChecks } from '../../analysis/budget.js';
import type { LatencyPhase } from '../../core/measurement.js';
import { STAGES, type Stage } from '../../core/stage.js';
import { formatBytes, formatDevices, formatFactor, formatMs, formatRate } from '../../format.js';
import { alertsSection, budgetSection } from './budgets.js';
import { bottleneckSection } from './bottleneck.js';
import { gpuTelemetrySection, stageGpuSection } from './gpu.js';
import { serverScrapingSection, stageServerSection } from './server.js';
import { batchCell, e2eCell, honestyFootnotes } from './honesty.js';
import {
  errorsSection,
  heldColumns,
  loadColumns,
  measuredColumns,
  openLoopSection,
  outputTextColumns,
  serverColumns,
  targetLine,
} from './load.js';
import { repeatColumns, searchSection } from './search.js';
import { serverSweepSection } from './server-sweep.js';
import { markdownText, renderTable, type Column } from './table.js';
import { tradeoffSection } from './tradeoff.js';
import { shardLine, shardsSection } from './shards.js';
import { renderHostSection } from './host.js';
import { renderScenarioSection } from './scenario.js';
import { coldStartColumns, coldStartNote } from './cold-start.js';
import type { BackendReport, EnvironmentReport, NativeBackendInfo } from '../../core/report/environment.js';
import type { RunReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';

export function renderMarkdown(report: RunReport): string {
  const sections = [
    header(report),
    environmentSection(report.environment, report.backend),
    modelsSection(report),
    budgetSection(report),
    shardsSection(report),
    alertsSection(report),
    searchSection(report),
    serverSweepSection(report),
    renderScenarioSection(report),
    gpuTelemetrySection(report),
    serverScrapingSection(report),
    renderHostSection(report),
    // A scenario's own section tables its load stages; the per-stage sweep tables would repeat them.
    ...(report.scenario ? [] : STAGES.map((stage) => stageSection(report, stage))),
    // A scenario's stages have no per-stage section: their server figures get one of their own.
    report.scenario ? scenarioServerSection(report) : '',
    warningsSection(report.warnings),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function header(report: RunReport): string {
  const lines = [`# pipebench run ${report.runId}`, ''];
  if (report.partial) {
    const by = report.interruptedBy ? `interrupted by ${report.interruptedBy}` : 'did not finish';
    lines.push(`> **Partial results:** the run ${by}; only the steps measured before that are below.`, '');
  }
  lines.push(
    `- Run id: \`${report.runId}\``,
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    `- Workload: ${markdownText(report.workload.name)} (${markdownText(report.workload.source)})`,
    `- Run: ${runStatus(report)}`,
    targetLine(report),
    `- Budget met: ${report.budgetMet ? 'yes' : 'no'}`,
  );
  const shard = shardLine(report);
  if (shard !== '') lines.push(shard);
  if (report.resumedFrom)
    lines.push(`- Resumed: kept ${report.resumedFrom.stepsKept} completed steps of run \`${report.resumedFrom.runId}\`, measured the rest`);
  return lines.join('\n');
}

/**
 * "complete" when every planned step ran (steps whose every item failed included: they were
 * measured), else what cut it short. The words stdout and report.md share.
 */
export function runStatus(report: Pick<RunReport, 'partial' | 'interruptedBy'>): string {
  return report.partial ? `partial (interrupted by ${report.interruptedBy ?? 'an error'})` : 'complete';
}

function environmentSection(env: EnvironmentReport, backend: BackendReport | null): string {
  const cpu = [
    `${env.cpu.cores} cores`,
    env.cpu.physicalCores === null ? null : `${env.cpu.physicalCores} physical`,
    env.cpu.speedGHz === null ? null : `${env.cpu.speedGHz} GHz`,
  ].filter((part) => part !== null);
  const lines = [
    '## Environment',
    '',
    `- Node ${env.node} on ${env.platform}/${env.arch}, host ${env.hostname}`,
    `- CPU: ${env.cpu.model} (${cpu.join(', ')}), memory ${formatBytes(env.memTotalBytes)}`,
    `- OS: ${env.os.distro} ${env.os.release}, kernel ${env.os.kernel}`,
    `- pipebench ${env.pipebenchVersion}${env.gitCommit ? `, commit ${env.gitCommit}` : ''}`,
  ];
  if (backend === null) {
    lines.push('- Backend: none (the target is remote or did not report one)');
  } else {
    const flags = [
      `threads ${backend.threads ?? 'n/a'}`,
      `SIMD ${backend.simd === null ? 'n/a' : backend.simd ? 'yes' : 'no'}`,
      `GPU ${backend.gpu ? 'yes' : 'no'}`,
      `${backend.instances} ${backend.instances === 1 ? 'instance' : 'instances'} (${backend.isolation})`,
    ];
    lines.push(`- Backend: ${backend.name} (${backend.package} ${backend.version}), ${flags.join(', ')}`);
    if (backend.native) lines.push(`  - ${markdownText(nativeLine(backend.native))}`);
    for (const skipped of backend.skipped) lines.push(`  - skipped ${skipped.backend}: ${markdownText(skipped.reason)}`);
  }
  return lines.join('\n');
}

/** "TensorFlow 2.21.0 C library (CUDA 12.5.1, cuDNN 9 build), sees CPU:0, GPU:0; pipebench setup native from ...". */
function nativeLine(native: NativeBackendInfo): string {
  const build =
    native.cudaBuild === null
      ? 'build unknown'
      : native.cudaBuild
        ? `CUDA ${native.cudaVersion ?? '?'}, cuDNN ${native.cudnnVersion ?? '?'} build`
        : 'CPU-only build';
  const devices = native.devices === null ? 'devices unknown' : `sees ${formatDevices(native.devices)}`;
  return `TensorFlow ${native.tensorflowVersion ?? '?'} C library (${build}), ${devices}; ${native.builtFrom ?? 'not built by pipebench setup native'}`;
}

function modelsSection(report: RunReport): string {
  if (report.models.length === 0) return '';
  const columns: Column<RunReport['models'][number]>[] = [
    { header: 'model', cell: (m) => m.name },
    { header: 'task', cell: (m) => m.task },
    { header: 'size', cell: (m) => m.size },
    { header: 'parameters', align: 'right', cell: (m) => m.parameters.toLocaleString('en-US') },
    { header: 'max seq', align: 'right', cell: (m) => String(m.maxSequenceLength) },
    { header: 'format', cell: (m) => m.format },
    { header: 'version', cell: (m) => m.version },
  ];
  return `## Models\n\n${renderTable(columns, report.models)}`;
}

function latency(step: StepReport, phase: LatencyPhase, stat: 'p50' | 'p95' | 'p99'): string {
  const summary = step.latencyMs[phase];
  return summary ? formatMs(summary[stat]) : '-';
}

function budgetCell(step: StepReport): string {
  const verdict = step.withinBudget
    ? '✓'
    : step.latencyMs.e2e === undefined
      ? step.errors.total > 0
        ? '✗ errors (no item succeeded)'
        : '✗ no samples'
      : `✗ ${failedChecks(step.budgetChecks)
          .map((name) => (name === 'errorRate' ? 'errors' : name))
          .join(', ')}`;
  return step.complete ? verdict : `${verdict} (incomplete)`;
}

function stageColumns(steps: readonly StepReport[], stage: Stage): Column<StepReport>[] {
  const modes = new Set(steps.map((step) => step.mode));
  const columns: Column<StepReport>[] = [
    ...(modes.size > 1 ? [{ header: 'mode', cell: (s: StepReport) => s.mode }] : []),
    { header: 'batch', align: 'right', cell: batchCell },
    ...loadColumns(steps),
    ...heldColumns(steps),
    { header: 'p50 e2e', align: 'right', cell: (s) => e2eCell(s, 'p50') },
    { header: 'p95 e2e', align: 'right', cell: (s) => e2eCell(s, 'p95') },
    { header: 'p99 e2e', align: 'right', cell: (s) => e2eCell(s, 'p99') },
    { header: 'queue p95', align: 'right', cell: (s) => latency(s, 'queue', 'p95') },
    { header: 'inference p95', align: 'right', cell: (s) => latency(s, 'inference', 'p95') },
    ...coldStartColumns(steps),
    ...serverColumns(steps),
  ];
  if (stage !== 'classify') {
    columns.push(
      { header: 'TTFT p95', align: 'right', cell: (s) => latency(s, 'ttft', 'p95') },
      { header: 'ITL p50', align: 'right', cell: (s) => latency(s, 'itl', 'p50') },
      {
        header: 'tokens/s',
        align: 'right',
        cell: (s) => (s.throughput.outputTokensPerSec === null ? '-' : formatRate(s.throughput.outputTokensPerSec)),
      },
    );
  }
  columns.push(...outputTextColumns(steps), ...measuredColumns(steps));
  columns.push(
    { header: 'items/s', align: 'right', cell: (s) => formatRate(s.throughput.itemsPerSec) },
    { header: 'speedup', align: 'right', cell: (s) => formatFactor(s.speedup) },
    { header: 'efficiency', align: 'right', cell: (s) => formatFactor(s.efficiency) },
    ...repeatColumns(steps),
    { header: 'within budget', cell: budgetCell },
  );
  return columns;
}

/** "16 new tokens"; over HTTP a generating stage with no length set sends none. */
function lengthSetting(report: RunReport, stage: Stage, first: StepReport | undefined): string | null {
  if (first === undefined || stage === 'classify') return null;
  if (first.maxNewTokens !== null) return `${first.maxNewTokens} new tokens`;
  return report.target.kind === 'http' ? "no max_tokens sent (the server's default length)" : null;
}

function stageSection(report: RunReport, stage: Stage): string {
  const steps = report.steps.filter((step) => step.stage === stage);
  if (steps.length === 0) return '';
  const first = steps[0];
  const settings = [
    `${[...new Set(steps.map((s) => s.mode))].join(' and ')} batching`,
    first ? `max queue delay ${formatMs(first.maxQueueDelayMs)}` : null,
    lengthSetting(report, stage, first),
  ].filter((part) => part !== null);
  const lines = [`## ${stage}`, '', `${settings.join(', ')}; speedup and efficiency against the smallest batch size.`, ''];
  lines.push(renderTable(stageColumns(steps, stage), steps));
  const footnotes = honestyFootnotes(steps);
  if (footnotes !== '') lines.push('', footnotes);
  for (const part of [coldStartNote(steps), bottleneckSection(steps), openLoopSection(steps), errorsSection(steps)])
    if (part !== '') lines.push('', part);
  const gpu = stageGpuSection(steps);
  if (gpu !== '') lines.push('', gpu);
  const server = stageServerSection(steps);
  if (server !== '') lines.push('', server);
  const tradeoff = tradeoffSection(report, stage);
  if (tradeoff !== '') lines.push('', tradeoff);
  return lines.join('\n');
}

function scenarioServerSection(report: RunReport): string {
  const server = stageServerSection(report.steps);
  return server === '' ? '' : `## Server\n\n${server}`;
}

function warningsSection(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  return `## Warnings\n\n${warnings.map((warning) => `- ${markdownText(warning)}`).join('\n')}`;
}
