/** GitHub-flavoured Markdown tables: the one table renderer every Markdown output shares. */

export type Align = 'left' | 'right';

export interface Column<Row> {
  readonly header: string;
  readonly align?: Align;
  readonly cell: (row: Row) => string;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = columns.map((column) => (column.align === 'right' ? '---:' : '---'));
  return [
    line(columns.map((column) => column.header)),
    `| ${rule.join(' | ')} |`,
    ...rows.map((row) => line(columns.map((column) => column.cell(row)))),
  ].join('\n');
}
