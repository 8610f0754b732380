/**
 * report.md's server sweep (issue 15): the configuration chosen and why, in the server's own terms,
 * what the search spent against the grid, every configuration launched (failed ones with their log
 * tail), and the Pareto set of p95 against items/s.
 */
import { sameServerConfig, serverConfigLabel } from '../../core/server-config.js';
import type { ServerConfigRun, ServerConfigScore, ServerSweepReport, ServerTermsKind } from '../../core/report/server-sweep.js';
import type { RunReport } from '../../core/report/run.js';
import { formatMs, formatRate } from '../../format.js';
import { markdownText, renderTable, type Column } from './table.js';

/** The lines a run's summary prints: the choice and its reason, the command line, the cost, failures. */
export function serverSweepLines(sweep: ServerSweepReport): string[] {
  const lines = [sweep.chosen === null ? 'server: no configuration met the budget' : `server: ${sweep.chosen.reason}`];
  if (sweep.chosen?.serverTermsKind === 'command') lines.push(`server command: ${sweep.chosen.serverTerms}`);
  else if (sweep.chosen)
    lines.push(`server ${sweep.chosen.serverTermsKind}:`, ...sweep.chosen.serverTerms.split('\n').map((line) => `  ${line}`));
  lines.push(costLine(sweep));
  for (const config of sweep.configurations)
    if (config.state === 'failed') lines.push(`server ${serverConfigLabel(config.params)} failed: ${config.failure ?? 'unknown'}`);
  return lines;
}

function costLine(sweep: ServerSweepReport): string {
  const how = sweep.strategy === 'search' ? `search along ${sweep.searchAxis ?? '-'}` : 'grid';
  return `server runs: ${sweep.runsSpent} of ${sweep.gridConfigurations} configurations (${how}), ${sweep.stepsRun} of ${sweep.gridSteps} steps`;
}

const configColumns: Column<{ config: ServerConfigRun; score: ServerConfigScore | undefined }>[] = [
  { header: 'configuration', cell: (r) => serverConfigLabel(r.config.params) },
  { header: 'state', cell: (r) => r.config.state },
  { header: 'items/s', align: 'right', cell: (r) => (r.score ? formatRate(r.score.itemsPerSec) : '-') },
  { header: 'p95', align: 'right', cell: (r) => (r.score?.p95Ms == null ? '-' : formatMs(r.score.p95Ms)) },
  { header: 'within budget', cell: (r) => (r.score === undefined ? '-' : r.score.withinBudget ? 'yes' : 'no') },
  { header: 'steps', align: 'right', cell: (r) => r.config.stepIndexes.join(', ') || '-' },
  { header: 'log', cell: (r) => r.config.logPath },
];

const paretoColumns: Column<ServerConfigScore>[] = [
  { header: 'configuration', cell: (s) => serverConfigLabel(s.params) },
  { header: 'items/s', align: 'right', cell: (s) => formatRate(s.itemsPerSec) },
  { header: 'p95', align: 'right', cell: (s) => (s.p95Ms === null ? '-' : formatMs(s.p95Ms)) },
  { header: 'within budget', cell: (s) => (s.withinBudget ? 'yes' : 'no') },
];

const TERMS_TITLES = {
  command: 'the launch command line',
  'config.pbtxt': "a fragment of the model's Triton config.pbtxt",
  'config.properties': "TorchServe's config.properties",
} as const satisfies Record<ServerTermsKind, string>;

export function serverSweepSection(report: RunReport): string {
  const sweep = report.serverSweep;
  if (!sweep) return '';
  const rows = sweep.configurations.map((config) => ({
    config,
    score: sweep.scores.find((score) => sameServerConfig(score.params, config.params)),
  }));
  const failed = sweep.configurations.filter((config) => config.state === 'failed');
  return [
    '## Server configurations',
    '',
    sweep.chosen === null ? '**No configuration met the budget.**' : `**Chosen:** ${markdownText(sweep.chosen.reason)}.`,
    '',
    ...(sweep.chosen === null
      ? []
      : [`In the server's own terms (${TERMS_TITLES[sweep.chosen.serverTermsKind]}):`, '', '```', sweep.chosen.serverTerms, '```', '']),
    costLine(sweep) + '.',
    '',
    renderTable(configColumns, rows),
    '',
    '### Pareto set (p95 against items/s)',
    '',
    sweep.pareto.length === 0 ? 'No configuration measured a p95.' : renderTable(paretoColumns, sweep.pareto),
    ...failed.flatMap((config) => [
      '',
      `### Failed: ${markdownText(serverConfigLabel(config.params))}`,
      '',
      markdownText(config.failure ?? ''),
      '',
      '```',
      ...config.logTail.map((line) => line.replace(/```/g, "'''")),
      '```',
    ]),
  ].join('\n');
}
