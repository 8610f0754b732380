/** report.json: the source of truth. 2-space indent, trailing newline (diff-friendly). */
import type { RunReport } from '../core/report/run.js';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
