/**
 * `pipebench report <report.json>`: re-analyse a saved run without re-running it (new budgets, new
 * formats) and write its outputs. Exit 0 when every stage's recommendation is within budget and no
 * alert rule fired, 1 otherwise, 2 for a missing or invalid report or budgets file.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { reanalyze, type Reanalysis } from '../analysis/reanalyze.js';
import { InputError, toError } from '../errors.js';
import { renderStepsCsv } from '../report/csv.js';
import { renderJunit } from '../report/junit.js';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../report/types.js';
import { ReportWriter } from '../report/writer.js';
import { loadBudgetsFile } from '../workload/budgets-file.js';
import { exitCodeForRun } from './exit-code.js';
import type { CommandContext } from './main.js';

export const REPORT_FORMATS = ['json', 'md', 'junit', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * How each format is written. ReportWriter writes report.json and report.md together (so either
 * format rewrites both); the others are rendered here and written beside them, atomically.
 */
type FormatOutput = { readonly kind: 'writer' } | { readonly kind: 'file'; readonly file: string; readonly render: (analysis: Reanalysis) => string };

const FORMAT_OUTPUTS = {
  json: { kind: 'writer' },
  md: { kind: 'writer' },
  junit: { kind: 'file', file: 'junit.xml', render: (a) => renderJunit(a.report, a.stageBudgets, a.alerts) },
  csv: { kind: 'file', file: 'steps.csv', render: (a) => renderStepsCsv(a.report) },
} as const satisfies Record<ReportFormat, FormatOutput>;

interface ReportFlags {
  readonly budgets?: string;
  readonly out?: string;
  readonly formats: string;
}

export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('Re-analyse a saved report.json (new budgets, more formats) without re-running; write every output again.')
    .argument('<report.json>', 'a report.json written by pipebench run')
    .option('--budgets <file>', 'budgets file in the performance guide format (see workloads/budgets.yaml)')
    .option('--out <dir>', "output folder (default: the report's own folder)")
    .option('--formats <list>', `outputs to write, from ${REPORT_FORMATS.join(',')}`, REPORT_FORMATS.join(','))
    .addHelpText(
      'after',
      `
Outputs: json -> report.json, md -> report.md (these two are written together), junit -> junit.xml,
csv -> steps.csv. Exit 0 when every stage's recommendation is within budget and no alert fired.

Examples:
  pipebench report reports/run1/report.json --budgets workloads/budgets.yaml
  pipebench report reports/run1/report.json --formats junit,csv --out ci-results`,
    )
    .action(async (reportPath: string, flags: ReportFlags) => {
      const formats = parseFormats(flags.formats);
      const path = resolve(context.io.cwd, reportPath);
      const saved = await loadReport(path);
      const budgets = flags.budgets === undefined ? null : await loadBudgetsFile(resolve(context.io.cwd, flags.budgets));
      const analysis = reanalyze(saved, budgets);
      const outDir = flags.out === undefined ? dirname(path) : resolve(context.io.cwd, flags.out);
      const files = await writeOutputs(analysis, formats, outDir);
      context.io.stdout.write(renderSummary(analysis, budgets?.source ?? null, files));
      context.exitCode = exitCodeForRun({ interruptedBy: null, budgetMet: analysis.passed });
    });
}

export function parseFormats(raw: string): ReportFormat[] {
  const names = raw.split(',').map((name) => name.trim());
  const known = REPORT_FORMATS as readonly string[];
  const wrong = names.find((name) => !known.includes(name));
  if (wrong !== undefined) throw new InputError('--formats', `expected a comma-separated list from ${REPORT_FORMATS.join(', ')}, got "${wrong === '' ? raw : wrong}"`);
  return REPORT_FORMATS.filter((format) => names.includes(format));
}

/** A saved report.json, checked enough to re-analyse: the schema version and the fields used here. */
export async function loadReport(path: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw new InputError(path, `cannot read the report (${code === 'ENOENT' ? 'not found' : (code ?? toError(error).message)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, `expected a pipebench report.json, got text that is not JSON (${toError(error).message})`, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(path, 'expected a pipebench report.json (a JSON object), got something else');
  const record = data as Record<string, unknown>;
  if (record['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    throw new InputError(path, `expected a report with schemaVersion ${REPORT_SCHEMA_VERSION}, got ${JSON.stringify(record['schemaVersion']) ?? 'none'}`);
  }
  for (const [field, ok] of [
    ['runId', typeof record['runId'] === 'string'],
    ['steps', Array.isArray(record['steps'])],
    ['workload', isObject(record['workload'])],
    ['budget', isObject(record['budget'])],
    ['environment', isObject(record['environment'])],
  ] as const) {
    if (!ok) throw new InputError(`${path}: ${field}`, `expected the field a pipebench report.json has, got ${JSON.stringify(record[field]) ?? 'nothing'}`);
  }
  return data as RunReport;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function writeOutputs(analysis: Reanalysis, formats: readonly ReportFormat[], outDir: string): Promise<string[]> {
  const files: string[] = [];
  if (formats.some((format) => FORMAT_OUTPUTS[format].kind === 'writer')) files.push(...(await new ReportWriter(outDir).write(analysis.report)));
  for (const format of formats) {
    const output: FormatOutput = FORMAT_OUTPUTS[format];
    if (output.kind === 'file') files.push(await replaceFile(outDir, output.file, output.render(analysis)));
  }
  return files;
}

/** ReportWriter's pattern: a temp file in the same folder, then rename, so no reader sees half a file. */
async function replaceFile(outDir: string, name: string, text: string): Promise<string> {
  const path = join(outDir, name);
  const temp = join(outDir, `.${name}.${process.pid}.tmp`);
  try {
    await mkdir(outDir, { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new InputError(path, `cannot write the output: ${toError(error).message}`, { cause: error });
  }
  return path;
}

function renderSummary(analysis: Reanalysis, budgetsSource: string | null, files: readonly string[]): string {
  const { report } = analysis;
  const fired = analysis.alerts.filter((finding) => finding.kind === 'fired').length;
  const under = budgetsSource === null ? 'its own budget' : budgetsSource;
  const lines = [
    `report ${report.runId}: re-analysed under ${under}; budget ${report.budgetMet ? 'met' : 'NOT met'}${fired > 0 ? `; ${fired} alert(s) fired` : ''}`,
    ...report.recommendation.map((rec) => `  ${rec.stage}: ${rec.reason}`),
    ...report.warnings.map((warning) => `  warning: ${warning}`),
    ...files.map((file) => `  wrote ${file}`),
  ];
  return `${lines.join('\n')}\n`;
}
