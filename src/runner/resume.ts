/**
 * --resume: continue an interrupted run in its own output folder from its last completed step.
 * The previous report.json is the only state: its steps marked complete, contiguous from the first,
 * are kept as measured (histograms and all); the plan continues with the step after them. A step
 * after an incomplete one is measured again, so the kept steps are always a prefix of the plan.
 * Scenario workloads follow the same rule over their load stages: the drive restarts at the first
 * incomplete stage.
 */
import { FIELD_NAMES, type OverrideNames } from '../workload/override-names.js';
import { join } from 'node:path';
import { InputError, toError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../core/report/run.js';
import { type StepReport } from '../core/report/step.js';
import { REPORT_JSON } from '../report/formats.js';
import { readInputFile } from '../workload/yaml-file.js';
import { planSteps } from '../workload/plan.js';
import type { Workload } from '../core/workload.js';
import { firstResumeDifference } from './resume-fields.js';

export interface ResumeState {
  /** The interrupted run's report, as read. */
  readonly previous: RunReport;
  /** Its steps kept as measured: complete, in index order, contiguous from index 0. */
  readonly keptSteps: readonly StepReport[];
  /** The planned step to measure next (= keptSteps.length). */
  readonly nextIndex: number;
}

export interface ResumeOptions {
  readonly search: boolean;
  readonly repeat: number;
}

/** `names`: how errors name the resume, search, repeat and out settings (the CLI: its flags). */
export async function loadResumeState(
  outDir: string,
  workload: Workload,
  options: ResumeOptions,
  names: OverrideNames = FIELD_NAMES,
): Promise<ResumeState> {
  refuseUnresumableModes(options, names);
  const path = join(outDir, REPORT_JSON);
  const previous = await readPreviousReport(path, names);
  if (!previous.partial)
    throw new InputError(path, 'nothing to resume, the run finished (it is not marked partial); start a new run instead');
  refuseUnresumablePrevious(previous, path, names);

  const difference = firstResumeDifference(previous.workload, workload);
  if (difference !== null) {
    throw new InputError(
      names.resume,
      `${difference.field} differs from the interrupted run's (it ran ${difference.previous}, now ${difference.now}); ` +
        `a resumed run must measure the same plan, so start a new run (another ${names.out}) instead`,
    );
  }

  const keptSteps = completedPrefix(previous.steps);
  const planned = planSteps(workload);
  for (const step of keptSteps) {
    // A server sweep measures the plan once per configuration: step i is a planned step of its configuration.
    const plan =
      workload.server === undefined
        ? planned[step.index]
        : planned.find((p) => p.stage === step.stage && p.batchSize === step.batchSize && p.concurrency === step.concurrency);
    // The plans agree, so a kept step that is not the planned one means the report's steps are not the plan's.
    if (plan === undefined || plan.stage !== step.stage || plan.batchSize !== step.batchSize || plan.concurrency !== step.concurrency) {
      throw new InputError(
        `${path}: steps[${step.index}]`,
        `expected the planned step ${describePlanned(plan)}, got ${step.stage} batch ${step.batchSize}`,
      );
    }
  }
  return { previous, keptSteps, nextIndex: keptSteps.length };
}

/**
 * Only a plain sweep (or scenario) can continue step by step. --search chooses each step from the
 * results before it, and its bounds and tried values live only in the finished search; --repeat
 * merges every pass into each step, so a step's `complete` cannot say which passes ran.
 */
function refuseUnresumableModes(options: ResumeOptions, names: OverrideNames): void {
  if (options.search)
    throw new InputError(
      names.search,
      `cannot be combined with ${names.resume}: a search picks each step from the results before it, and its state is not kept in report.json`,
    );
  if (options.repeat > 1)
    throw new InputError(
      names.repeat,
      `cannot be combined with ${names.resume} (got ${options.repeat}): each step merges every pass, so a step cannot say which passes ran`,
    );
}

function refuseUnresumablePrevious(previous: RunReport, path: string, names: OverrideNames): void {
  if ((previous.search ?? []).length > 0)
    throw new InputError(path, `cannot be resumed: it was a ${names.search} run (a search picks each step from the results before it)`);
  if (previous.steps.some((step) => step.repeats !== null && step.repeats !== undefined)) {
    throw new InputError(path, `cannot be resumed: it was a ${names.repeat} run (each step merges every pass)`);
  }
}

/**
 * The interrupted run's warnings still true of the resumed run: those about a re-measured step
 * ("step 1 (classify batch 2) did not complete ...") and the interruption's "run stopped early" go,
 * since the resumed run measures those steps again and says afresh what it finds.
 */
export function warningsToCarry(previous: Pick<RunReport, 'warnings'>, nextIndex: number): string[] {
  return previous.warnings.filter((warning) => {
    if (warning.startsWith('run stopped early')) return false;
    const step = /^step (\d+) \(/.exec(warning);
    return step === null || Number(step[1]) < nextIndex;
  });
}

/** Complete steps from index 0 up to the first gap or incomplete step. */
export function completedPrefix(steps: readonly StepReport[]): StepReport[] {
  const byIndex = [...steps].sort((a, b) => a.index - b.index);
  const kept: StepReport[] = [];
  for (const step of byIndex) {
    if (step.index !== kept.length || !step.complete) break;
    kept.push(step);
  }
  return kept;
}

function describePlanned(step: { readonly stage: string; readonly batchSize: number } | undefined): string {
  return step === undefined ? '(none: the plan is shorter)' : `${step.stage} batch ${step.batchSize}`;
}

/** report.json checked enough to resume from: the schema version and every field used here. */
async function readPreviousReport(path: string, names: OverrideNames): Promise<RunReport> {
  const text = await readInputFile(path, `the interrupted run's report (${names.resume} continues a run in its ${names.out} folder)`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, `expected a pipebench report.json, got text that is not JSON (${toError(error).message})`, { cause: error });
  }
  if (!isRecord(data)) throw new InputError(path, 'expected a pipebench report.json (a JSON object), got something else');
  if (data['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    throw new InputError(
      path,
      `expected a pipebench report.json with schemaVersion ${REPORT_SCHEMA_VERSION}, got ${JSON.stringify(data['schemaVersion']) ?? 'none'}`,
    );
  }
  const checks: readonly (readonly [string, boolean])[] = [
    ['runId', typeof data['runId'] === 'string'],
    ['partial', typeof data['partial'] === 'boolean'],
    ['workload', isRecord(data['workload'])],
    ['steps', Array.isArray(data['steps'])],
  ];
  for (const [field, ok] of checks) {
    if (!ok)
      throw new InputError(
        `${path}: ${field}`,
        `expected the field a pipebench report.json has, got ${JSON.stringify(data[field]) ?? 'nothing'}`,
      );
  }
  (data['steps'] as unknown[]).forEach((step, at) => {
    const ok = isRecord(step) && Number.isInteger(step['index']) && typeof step['complete'] === 'boolean' && isRecord(step['histograms']);
    if (!ok) throw new InputError(`${path}: steps[${at}]`, 'expected a step with index, complete and histograms');
  });
  return data as unknown as RunReport;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
