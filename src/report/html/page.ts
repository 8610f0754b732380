/**
 * The HTML shell of report.html and compare.html: inline CSS (light and dark, print), each chart as
 * inline SVG with its data table, a CSV download and its Vega-Lite spec embedded. No script runs
 * (the CSP forbids it) and nothing is fetched: the file opens offline.
 */
import type { TopLevelSpec } from 'vega-lite';
import { dataUri, escapeHtml, jsonForScript } from './escape.js';

export type Cell = string | number | null;

export interface DataTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export type PageSection =
  | {
      readonly kind: 'chart';
      readonly id: string;
      readonly title: string;
      readonly caption: string;
      readonly svg: string;
      readonly spec: TopLevelSpec;
      readonly table: DataTable;
    }
  /** `html` is markup built from escaped parts by the caller. */
  | { readonly kind: 'html'; readonly id: string; readonly title: string; readonly html: string };

export interface Page {
  readonly title: string;
  /** Markup built from escaped parts by the caller. */
  readonly headerHtml: string;
  readonly sections: readonly PageSection[];
}

/** Tables up to this many rows show open; longer ones (the GPU timeline) start folded. */
const OPEN_TABLE_ROWS = 12;

const CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --card: #f6f8fa; --bad: #cf222e; --good: #1a7f37; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --card: #161b22; --bad: #ff7b72; --good: #3fb950; }
  figure.chart svg { filter: invert(0.92) hue-rotate(180deg); }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.verdict-ok { color: var(--good); font-weight: 600; } .verdict-bad { color: var(--bad); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
figure.chart { margin: 12px 0; padding: 12px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); margin: 4px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 2px 8px; text-align: right; } th { background: var(--card); }
td:first-child, th:first-child, td.text { text-align: left; }
tr.regression td { color: var(--bad); font-weight: 600; }
details { margin: 6px 0; } summary { cursor: pointer; color: var(--muted); }
.links a { margin-right: 16px; color: inherit; }
ul.warnings li { color: var(--bad); }
@media print {
  body { max-width: none; padding: 0; background: #fff; color: #000; }
  figure.chart { break-inside: avoid; background: #fff; border-color: #999; }
  figure.chart svg { filter: none; }
  .links, summary { display: none; }
  details > table { display: table; }
}
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function formatCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (Number.isInteger(cell)) return String(cell);
  return String(Number(cell.toPrecision(5)));
}

function tableHtml(table: DataTable, rowClass?: (row: readonly Cell[]) => string | null): string {
  const head = `<tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((row) => {
      const cls = rowClass?.(row) ?? null;
      return `<tr${cls === null ? '' : ` class="${escapeHtml(cls)}"`}>${row.map((cell) => `<td>${escapeHtml(formatCell(cell))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

/** RFC 4180: quote every field, double the quotes. */
export function toCsv(table: DataTable): string {
  const field = (cell: Cell) => `"${(cell === null ? '' : String(cell)).replace(/"/g, '""')}"`;
  return [table.columns.map(field).join(','), ...table.rows.map((row) => row.map(field).join(','))].join('\r\n') + '\r\n';
}

/** A data table; rows marked `regression` in a column named "status" are highlighted. */
export function renderTable(table: DataTable): string {
  const statusAt = table.columns.indexOf('status');
  return tableHtml(table, statusAt < 0 ? undefined : (row) => (row[statusAt] === 'regression' ? 'regression' : null));
}

function chartHtml(section: Extract<PageSection, { kind: 'chart' }>): string {
  const id = escapeHtml(section.id);
  const rows = section.table.rows.length;
  const csvHref = escapeHtml(dataUri('text/csv', toCsv(section.table)));
  return `<section id="${id}">
<h2>${escapeHtml(section.title)}</h2>
<figure class="chart" data-chart="${id}">
${section.svg}
<figcaption>${escapeHtml(section.caption)}</figcaption>
</figure>
<p class="links"><a download="${id}.csv" href="${csvHref}">Download the data (CSV)</a><span class="muted">Vega-Lite spec: script#spec-${id} in this file</span></p>
<details${rows <= OPEN_TABLE_ROWS ? ' open' : ''}><summary>Data behind the chart (${rows} rows)</summary>
${renderTable(section.table)}
</details>
<script type="application/json" class="vega-lite-spec" id="spec-${id}">${jsonForScript(section.spec)}</script>
</section>`;
}

export function renderPage(page: Page): string {
  const sections = page.sections.map((section) =>
    section.kind === 'chart'
      ? chartHtml(section)
      : `<section id="${escapeHtml(section.id)}">\n<h2>${escapeHtml(section.title)}</h2>\n${section.html}\n</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pipebench">
<title>${escapeHtml(page.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
${page.headerHtml}
</header>
<main>
${sections.join('\n')}
</main>
<footer class="muted"><p>Charts are Vega-Lite specs rendered to SVG when the report was written; each spec, its data inline, is embedded in this file (script.vega-lite-spec) to open in any Vega-Lite editor.</p></footer>
</body>
</html>
`;
}
