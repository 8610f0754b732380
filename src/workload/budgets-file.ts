/**
 * Reading a budgets file (`--budgets budgets.yaml`) in the performance guide's own format:
 *
 *   performance_budgets:
 *     api_response_time: { p95: 300ms, p99: 500ms, degradation_threshold: 10% }
 *     ml_pipeline:       { p95: 3000ms, p99: 5000ms, degradation_threshold: 15% }
 *     error_rate:        { max: 1%, alert_threshold: 0.5% }
 *   alerts:
 *     - p95(ml_pipeline_time) > 3500ms for 10m
 *
 * Stages: ml_pipeline budgets the pipeline stage, api_response_time the classify and generate
 * stages (stage-budgets.ts); a missing section falls back to the other, both missing is an
 * error. Defaults: degradation_threshold 10 %, error_rate max 1 %, alert_threshold = max.
 * budgets-schema.ts has the alert-rule grammar. Errors name "<file>: <field path>".
 */
import { mapStages, SECTION_OF_STAGE, stageBudgetsFromSections, type StageBudgets } from './stage-budgets.js';
import { InputError } from '../errors.js';
import type { Stage } from '../core/stage.js';
import { BudgetsYamlSchema } from './budgets-schema.js';
import { type AlertRule } from '../core/alert-rule.js';
import { parseYamlWith, readInputFile } from './yaml-file.js';

export const DEFAULT_DEGRADATION_THRESHOLD = 0.1;
export const DEFAULT_MAX_ERROR_RATE = 0.01;

export interface BudgetsFile {
  /** The path the file was read from (as given), or the name passed to parseBudgetsFile. */
  readonly source: string;
  readonly stages: StageBudgets;
  /** The change `pipebench compare` tolerates per stage (0..1), from degradation_threshold. */
  readonly degradationThreshold: Readonly<Record<Stage, number>>;
  /** max is every stage's error budget; above alertThreshold (<= max) a step earns a warning. */
  readonly errorRate: { readonly max: number; readonly alertThreshold: number };
  readonly alerts: readonly AlertRule[];
}

export async function loadBudgetsFile(path: string): Promise<BudgetsFile> {
  return parseBudgetsFile(await readInputFile(path, 'the budgets file'), path);
}

/** Validates budgets YAML; `source` names the file in errors. Touches no files. */
export function parseBudgetsFile(text: string, source: string): BudgetsFile {
  const { performance_budgets: budgets, alerts } = parseYamlWith(BudgetsYamlSchema, text, source, 'budgets file');

  const max = budgets.error_rate?.max ?? DEFAULT_MAX_ERROR_RATE;
  const sections = {
    ...(budgets.api_response_time && { api_response_time: { p95Ms: budgets.api_response_time.p95, p99Ms: budgets.api_response_time.p99 } }),
    ...(budgets.ml_pipeline && { ml_pipeline: { p95Ms: budgets.ml_pipeline.p95, p99Ms: budgets.ml_pipeline.p99 } }),
  };
  const stages = stageBudgetsFromSections(sections, max);
  if (stages === null) {
    throw new InputError(
      `${source}: performance_budgets`,
      'expected api_response_time or ml_pipeline (or both) with p95 and p99, got neither',
    );
  }
  const degradation = {
    api_response_time: budgets.api_response_time?.degradation_threshold ?? budgets.ml_pipeline?.degradation_threshold,
    ml_pipeline: budgets.ml_pipeline?.degradation_threshold ?? budgets.api_response_time?.degradation_threshold,
  };
  return {
    source,
    stages,
    degradationThreshold: mapStages((stage) => degradation[SECTION_OF_STAGE[stage]] ?? DEFAULT_DEGRADATION_THRESHOLD),
    errorRate: { max, alertThreshold: budgets.error_rate?.alert_threshold ?? max },
    alerts: alerts ?? [],
  };
}
