/** `pipebench compare <baseline> <candidate>`'s action: read two report.json files, judge, render, exit 0/1/2. */
import { writeFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { assertComparable, findDifferences } from '../analysis/comparable.js';
import { compareRuns } from '../analysis/compare.js';
import { COMPARE_METRICS, DEFAULT_COMPARE_OPTIONS, type CompareMetric, type CompareOptions } from '../analysis/compare-model.js';
import { ExitCode, InputError, toError } from '../errors.js';
import { renderCompareMarkdown } from '../report/markdown/compare.js';
import { renderCompareText, type CompareSources } from '../report/compare-text.js';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../core/report/run.js';
import { parseChoiceFlag, parseIntFlag, parseRatioFlag } from './flags.js';
import type { CommandContext } from './context.js';

export interface CompareFlags {
  readonly threshold: string;
  readonly latencyThreshold?: string;
  readonly throughputThreshold?: string;
  readonly metrics?: string;
  readonly markdown?: string;
  readonly json?: string;
  readonly html?: string;
  readonly force?: boolean;
  readonly seed: string;
  readonly resamples: string;
}

export async function compareCommand(
  baselinePath: string,
  candidatePath: string,
  flags: CompareFlags,
  context: CommandContext,
): Promise<void> {
  const sources: CompareSources = { baseline: baselinePath, candidate: candidatePath };
  const baseline = await readReport(resolve(context.io.cwd, baselinePath), baselinePath);
  const candidate = await readReport(resolve(context.io.cwd, candidatePath), candidatePath);
  const differences = findDifferences(baseline, candidate);
  assertComparable(differences, flags.force === true);
  const result = compareRuns(baseline, candidate, { ...optionsFromFlags(flags), differences });
  if (result.pairs.length === 0) {
    throw new InputError(candidatePath, `no step matches a step of ${baselinePath} (same stage, mode, batch size, concurrency and rate)`);
  }
  if (flags.markdown !== undefined)
    await writeOutput('--markdown', resolve(context.io.cwd, flags.markdown), renderCompareMarkdown(result, sources));
  if (flags.html !== undefined) {
    // Vega is loaded only when a page is asked for.
    const { renderCompareHtml } = await import('../report/html/index.js');
    await writeOutput('--html', resolve(context.io.cwd, flags.html), await renderCompareHtml(result, baseline, candidate));
  }
  if (flags.json !== undefined)
    await writeOutput('--json', resolve(context.io.cwd, flags.json), `${JSON.stringify({ ...result, sources }, null, 2)}\n`);
  context.io.stdout.write(renderCompareText(result, sources));
  context.exitCode = result.verdict === 'PASS' ? ExitCode.ok : ExitCode.budgetNotMet;
}

function optionsFromFlags(flags: CompareFlags): Omit<CompareOptions, 'differences'> {
  const threshold = parseRatioFlag('--threshold', flags.threshold);
  const metrics = flags.metrics?.split(',').map((m) => parseChoiceFlag<CompareMetric>('--metrics', m.trim(), COMPARE_METRICS));
  return {
    ...DEFAULT_COMPARE_OPTIONS,
    latencyThreshold: flags.latencyThreshold === undefined ? threshold : parseRatioFlag('--latency-threshold', flags.latencyThreshold),
    throughputThreshold:
      flags.throughputThreshold === undefined ? threshold : parseRatioFlag('--throughput-threshold', flags.throughputThreshold),
    metrics: metrics ?? COMPARE_METRICS,
    seed: parseIntFlag('--seed', flags.seed, 0, 2 ** 32 - 1),
    resamples: parseIntFlag('--resamples', flags.resamples, 100, 100_000),
  };
}

/** Parses and checks just enough to trust the fields compare reads; names the file on failure. */
async function readReport(path: string, shown: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(shown, `cannot read the report: ${toError(error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(shown, `not JSON, so not a pipebench report.json: ${toError(error).message}`);
  }
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (fields['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    throw new InputError(
      shown,
      `not a pipebench report.json of schemaVersion ${REPORT_SCHEMA_VERSION} (found ${JSON.stringify(fields['schemaVersion'] ?? null)})`,
    );
  }
  if (!Array.isArray(fields['steps']) || typeof fields['workload'] !== 'object' || fields['workload'] === null) {
    throw new InputError(shown, 'a pipebench report.json needs "steps" and "workload"');
  }
  return parsed as RunReport;
}

async function writeOutput(flag: string, path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new InputError(flag, `cannot write ${path}: ${toError(error).message}`);
  }
}
