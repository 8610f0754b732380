/** The outputs a run writes and their file names: what the CLI's help and --formats name, without loading a renderer. */
export const REPORT_FORMATS = ['json', 'md', 'junit', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES = {
  json: 'report.json',
  md: 'report.md',
  junit: 'junit.xml',
  csv: 'steps.csv',
  html: 'report.html',
} as const satisfies Record<ReportFormat, string>;

export const REPORT_JSON = REPORT_FILES.json;
