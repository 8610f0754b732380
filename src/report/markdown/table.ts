/**
 * GitHub-flavoured Markdown tables: the one table renderer every Markdown output shares, and the
 * one escaping every cell (and every run-supplied string in the prose around them) goes through.
 */
export type Align = 'left' | 'right';

export interface Column<Row> {
  readonly header: string;
  readonly align?: Align;
  readonly cell: (row: Row) => string;
}

/**
 * Text from a run (workload and model names, paths, server messages) made inert in Markdown: `&` and
 * `<` as entities, since raw HTML and entities can only start with them (a name such as "<script>"
 * stays text), `|` escaped so it cannot split a table row, newlines folded so it cannot end one. `>`
 * and quotes stay as they are: inert without a `<`, and report.md is often read raw ("> 2 ms").
 */
export function markdownText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
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
