/** `pipebench compare --markdown`: ready to paste as a pull-request comment. Regressions first. */
import { formatThresholdPct } from '../../analysis/compare.js';
import type { CompareResult } from '../../analysis/compare-model.js';
import { markdownText, renderTable, type Column } from './table.js';
import { methodLine, metricRows, unpairedLines, verdictLine, type CompareSources, type MetricRow } from '../compare-text.js';

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function columns(ciHeader: string): Column<MetricRow>[] {
  return [
    { header: 'Step', cell: (r) => r.step },
    { header: 'Metric', cell: (r) => r.metric },
    { header: 'Baseline', align: 'right', cell: (r) => r.baseline },
    { header: 'Candidate', align: 'right', cell: (r) => r.candidate },
    { header: 'Change', align: 'right', cell: (r) => r.change },
    { header: ciHeader, align: 'right', cell: (r) => r.interval },
    { header: 'Threshold', align: 'right', cell: (r) => r.threshold },
    { header: 'Status', cell: (r) => (r.regression ? `**${r.status}**` : r.status) },
  ];
}

export function renderCompareMarkdown(result: CompareResult, sources: CompareSources): string {
  const rows = metricRows(result);
  const table = columns(`${formatThresholdPct(result.method.confidence)} CI`);
  const regressions = rows.filter((r) => r.regression);
  const sections = [
    `## pipebench compare: **${result.verdict}**\n\n${verdictLine(result)}.`,
    `Baseline run ${code(result.runs.baseline)} (${code(sources.baseline)}) against candidate run ${code(result.runs.candidate)} (${code(sources.candidate)}).`,
    result.warnings.map((w) => `> **Warning:** ${markdownText(w)}`).join('\n>\n'),
    regressions.length === 0
      ? '### Regressions\n\nNone: no metric is past its threshold and beyond the noise.'
      : `### Regressions\n\n${result.reasons.map((r) => `- ${r}`).join('\n')}\n\n${renderTable(table, regressions)}`,
    result.inconclusive.length === 0
      ? ''
      : `### Not judged\n\nPast a threshold, but too few samples or windows to tell it from noise:\n\n${result.inconclusive.map((r) => `- ${r}`).join('\n')}`,
    `### All metrics\n\n${renderTable(table, rows)}`,
    unpairedLines(result).length === 0
      ? ''
      : `### Not compared\n\n${unpairedLines(result)
          .map((l) => `- ${l}`)
          .join('\n')}`,
    `<sub>A metric regresses only when its change is past the threshold and its interval lies wholly above 0. ${methodLine(result)}.</sub>`,
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}
