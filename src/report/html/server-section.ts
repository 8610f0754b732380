/** report.html's "Server" section: the same tables as report.md's, per scraped URL (server figures, then a remote GPU). */
import type { RunReport } from '../../core/report/run.js';
import { GPU_COLUMNS } from '../markdown/gpu.js';
import { remoteGpuRows, SERVER_COLUMNS, serverRows } from '../markdown/server.js';
import type { Column } from '../markdown/table.js';
import { escapeHtml } from './escape.js';
import { renderTable, type PageSection } from './page.js';

function table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  return renderTable({ columns: columns.map((c) => c.header), rows: rows.map((row) => columns.map((c) => c.cell(row))) });
}

/** Null when no step has server metrics. */
export function serverSection(report: RunReport): PageSection | null {
  const rows = serverRows(report.steps);
  if (rows.length === 0) return null;
  const parts: string[] = [];
  for (const url of new Set(rows.map((row) => row.endpoint.url))) {
    const own = rows.filter((row) => row.endpoint.url === url);
    parts.push(
      `<h3>${escapeHtml(url)}</h3>`,
      `<p class="muted">The server's own metrics per measured step; queue and compute per request (mean / p95).</p>`,
      table(SERVER_COLUMNS, own),
    );
    const gpus = remoteGpuRows(own.map((row) => row.step)).filter((row) => row.url === url);
    if (gpus.length > 0)
      parts.push(
        '<p class="muted">Remote GPU (utilisation is time with a kernel running, not SM occupancy):</p>',
        table(GPU_COLUMNS, gpus),
      );
  }
  return { kind: 'html', id: 'server', title: 'Server', html: parts.join('\n') };
}
