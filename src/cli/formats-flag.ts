/** `--formats <list>` (report, merge): which outputs to write, checked against the known ones. */
import { InputError } from '../errors.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/formats.js';

export function parseFormats(raw: string): ReportFormat[] {
  const names = raw.split(',').map((name) => name.trim());
  const known = REPORT_FORMATS as readonly string[];
  const wrong = names.find((name) => !known.includes(name));
  if (wrong !== undefined)
    throw new InputError(
      '--formats',
      `expected a comma-separated list from ${REPORT_FORMATS.join(', ')}, got "${wrong === '' ? raw : wrong}"`,
    );
  return REPORT_FORMATS.filter((format) => names.includes(format));
}
