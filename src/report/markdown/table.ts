/**
 * GitHub-flavoured Markdown tables: the one table renderer every Markdown output shares, and the
 * one escaping every cell (and every run-supplied string in the prose around them) goes through.
 */
import { escapeHtml } from '../html/escape.js';

export type Align = 'left' | 'right';

export interface Column<Row> {
  readonly header: string;
  readonly align?: Align;
  readonly cell: (row: Row) => string;
}

/**
 * Text from a run (workload and model names, paths, server messages) made inert in Markdown: HTML
 * special characters as entities (a name such as "<script>" stays text), `|` escaped so it cannot
 * split a table row, newlines folded so it cannot end one.
 */
export function markdownText(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownText).join(' | ')} |`;
  const rule = columns.map((column) => (column.align === 'right' ? '---:' : '---'));
  return [
    line(columns.map((column) => column.header)),
    `| ${rule.join(' | ')} |`,
    ...rows.map((row) => line(columns.map((column) => column.cell(row)))),
  ].join('\n');
}
