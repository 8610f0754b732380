/**
 * report.html: one self-contained file (inline SVG charts, inline CSS, no script, no network) from
 * a RunReport; compare.html from a CompareResult. Async because Vega renders SVG asynchronously.
 */
import type { CompareResult } from '../../analysis/compare-model.js';
import type { RunReport } from '../../core/report/run.js';
import { compareHeader, compareSections } from './compare-page.js';
import { bottleneckSection } from './bottleneck.js';
import { escapeHtml } from './escape.js';
import { renderPage, type PageSection } from './page.js';
import { runSections } from './run-sections.js';

export { renderSvg } from './render-svg.js';

function facts(entries: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function list(items: readonly string[], cls: string): string {
  return `<ul class="${cls}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function runHeader(report: RunReport): string {
  const env = report.environment;
  const parts = [
    `<h1>pipebench run ${escapeHtml(report.runId)}</h1>`,
    report.workload.description ? `<p>${escapeHtml(report.workload.description)}</p>` : '',
    report.partial
      ? `<p class="verdict-bad">Partial results: the run ${escapeHtml(report.interruptedBy ? `was interrupted by ${report.interruptedBy}` : 'did not finish')}.</p>`
      : '',
    `<p class="${report.budgetMet ? 'verdict-ok' : 'verdict-bad'}">Budget ${report.budgetMet ? 'met' : 'not met'}: p95 ≤ ${report.budget.p95Ms / 1000} s, p99 ≤ ${report.budget.p99Ms / 1000} s, errors ≤ ${report.budget.maxErrorRate * 100} %</p>`,
    facts([
      ['workload', `${report.workload.name} (${report.workload.source})`],
      ['target', report.target.description],
      ['started', `${report.startedAt}, finished ${report.finishedAt}`],
      ['backend', report.backend === null ? 'none (remote target)' : `${report.backend.name} ${report.backend.version}`],
      ['host', `${env.hostname}: ${env.cpu.model}, ${env.cpu.cores} cores, Node ${env.node}`],
    ]),
  ];
  return parts.filter((p) => p !== '').join('\n');
}

function recommendationSection(report: RunReport): PageSection {
  const rows = report.recommendation.map(
    (r) => `<tr><td>${escapeHtml(r.stage)}</td><td>${r.batchSize ?? '—'}</td><td class="text">${escapeHtml(r.reason)}</td></tr>`,
  );
  const html =
    rows.length === 0
      ? '<p class="muted">No recommendation (no stage completed a step).</p>'
      : `<table><tr><th>stage</th><th>batch size</th><th>why</th></tr>${rows.join('')}</table>`;
  return { kind: 'html', id: 'recommendation', title: 'Recommendation', html };
}

function warningsSection(report: RunReport): PageSection | null {
  if (report.warnings.length === 0) return null;
  return { kind: 'html', id: 'warnings', title: 'Warnings', html: list(report.warnings, 'warnings') };
}

export async function renderHtml(report: RunReport): Promise<string> {
  const charts = await runSections(report);
  const optional = (section: PageSection | null): PageSection[] => (section === null ? [] : [section]);
  return renderPage({
    title: `pipebench ${report.workload.name} ${report.runId}`,
    headerHtml: runHeader(report),
    sections: [recommendationSection(report), ...optional(bottleneckSection(report)), ...charts, ...optional(warningsSection(report))],
  });
}

export async function renderCompareHtml(result: CompareResult, baseline: RunReport, candidate: RunReport): Promise<string> {
  return renderPage({
    title: `pipebench compare ${result.verdict}: ${baseline.runId} vs ${candidate.runId}`,
    headerHtml: compareHeader(result),
    sections: await compareSections(result, baseline, candidate),
  });
}
