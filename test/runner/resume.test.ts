/** --resume's state: real report.json files written by the real writer, workloads from real YAML. */
import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { StepRecorder } from '../../src/metrics/recorder.js';
import { buildRunReport, buildStepReport } from '../../src/analysis/analyze-run.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { StepReport } from '../../src/core/report/step.js';
import { ReportWriter } from '../../src/report/writer.js';
import { completedPrefix, loadResumeState, warningsToCarry } from '../../src/runner/resume.js';
import { loadWorkload } from '../../src/workload/load.js';
import { applyOverrides } from '../../src/workload/overrides.js';
import { planSteps } from '../../src/workload/plan.js';
import { applyScenarioOverrides } from '../../src/workload/scenario-overrides.js';
import type { Step, Workload } from '../../src/core/workload.js';
import { syntheticParts } from '../report/synthetic-run.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'workloads', 'cli-interrupt.yaml');
const SPIKE = join(import.meta.dirname, '..', '..', 'workloads', 'spike.yaml');
const T0 = 1_750_000_000_000;
const SWEEP = { search: false, repeat: 1 };

let root: string;
let sweep: Workload;
let spike: Workload;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pipebench-resume-'));
  sweep = await loadWorkload(FIXTURE);
  spike = applyScenarioOverrides(await loadWorkload(SPIKE), { timeScale: 0.01 });
});

/** `count` items through the real recorder, e2e growing with the step so each step's histogram differs. */
function measured(step: Step, count: number): ReturnType<StepRecorder['finish']> {
  const recorder = new StepRecorder({ clock: () => T0 });
  for (let i = 0; i < count; i++) {
    const tArrivalMs = T0 + i * 10;
    const e2eMs = 5 + step.index + (i % 7);
    recorder.record({
      ok: true,
      tArrivalMs,
      tResponseMs: tArrivalMs + e2eMs,
      queueMs: 1,
      inferenceMs: e2eMs - 1,
      batchSize: step.batchSize,
    });
  }
  return recorder.finish();
}

/** A report of `workload` whose planned steps ran with these completion flags (undefined = not reached). */
function reportOf(workload: Workload, complete: readonly boolean[], partial = true): RunReport {
  const steps: StepReport[] = planSteps(workload)
    .slice(0, complete.length)
    // Scenario steps carry their load stage (set here in case the builder does not copy it yet).
    .map((step, at) => ({
      ...buildStepReport(step, measured(step, 20 + at), workload.budget, complete[at]),
      ...(step.profile && { profile: step.profile }),
    }));
  return buildRunReport({ ...syntheticParts({ partial }), workload, steps });
}

let dirs = 0;
async function saved(report: RunReport): Promise<string> {
  const dir = join(root, `run-${dirs++}`);
  await new ReportWriter(dir, { formats: ['json'] }).write(report);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('loadResumeState', () => {
  it('keeps the complete steps before the interrupted one, histograms exactly as saved', async () => {
    const previous = reportOf(sweep, [true, false]);
    const dir = await saved(previous);
    const state = await loadResumeState(dir, sweep, SWEEP, RUN_FLAGS);
    expect(state.nextIndex).toBe(1);
    expect(state.keptSteps.map((step) => step.index)).toEqual([0]);
    expect(state.keptSteps[0]!.histograms).toEqual(previous.steps[0]!.histograms);
    expect(state.previous.runId).toBe(previous.runId);
  });

  it('keeps every step of a run interrupted after its last step, and none when the first was incomplete', async () => {
    const all = await loadResumeState(await saved(reportOf(sweep, [true, true, true])), sweep, SWEEP, RUN_FLAGS);
    expect(all.nextIndex).toBe(3);
    const none = await loadResumeState(await saved(reportOf(sweep, [false])), sweep, SWEEP, RUN_FLAGS);
    expect(none).toMatchObject({ nextIndex: 0, keptSteps: [] });
  });

  it('re-measures a complete step that follows an incomplete one', async () => {
    const state = await loadResumeState(await saved(reportOf(sweep, [true, false, true])), sweep, SWEEP, RUN_FLAGS);
    expect(state.nextIndex).toBe(1);
  });

  it('resumes under another budget and from a copy of the workload file', async () => {
    const dir = await saved(reportOf(sweep, [true, false]));
    const changed = { ...applyOverrides(sweep, { p95Ms: 1 }), source: '/elsewhere/copy.yaml' };
    expect((await loadResumeState(dir, changed, SWEEP, RUN_FLAGS)).nextIndex).toBe(1);
  });

  it.each([
    ['a batch size list', { batchSizes: [1, 2, 8] }, 'workload.stages[classify].batchSizes'],
    ['the seed', { seed: 8 }, 'workload.seed'],
    ['the backend', { backend: 'cpu' as const }, 'workload.engine.backend'],
    ['the instances', { instances: 2 }, 'workload.engine.instances'],
    ['the measured length', { durationMs: 2000 }, 'workload.measure'],
    ['the warm-up', { warmupRequests: 5 }, 'workload.warmup'],
  ])('refuses %s that differs, naming --resume and the field', async (_what, overrides, field) => {
    const dir = await saved(reportOf(sweep, [true, false]));
    const error = await refusal(loadResumeState(dir, applyOverrides(sweep, overrides), SWEEP, RUN_FLAGS));
    expect(error.where).toBe('--resume');
    expect(error.message).toContain(field);
    expect(error.exitCode).toBe(2);
  });

  it('refuses another corpus and another stage list', async () => {
    const dir = await saved(reportOf(sweep, [true, false]));
    const corpus = await refusal(
      loadResumeState(dir, { ...sweep, corpus: { ...sweep.corpus, path: '/other/prompts.jsonl' } }, SWEEP, RUN_FLAGS),
    );
    expect(corpus.message).toContain('workload.corpus');
    const pipeline = applyOverrides(await loadWorkload(join(import.meta.dirname, '..', 'fixtures', 'workloads', 'cli-tiny.yaml')), {});
    const stages = await refusal(loadResumeState(dir, { ...sweep, stages: pipeline.stages }, SWEEP, RUN_FLAGS));
    expect(stages.message).toContain('workload.stages');
  });

  it('refuses --search and --repeat > 1 by flag, before reading anything', async () => {
    const missing = join(root, 'never-written');
    expect((await refusal(loadResumeState(missing, sweep, { search: true, repeat: 1 }, RUN_FLAGS))).where).toBe('--search');
    expect((await refusal(loadResumeState(missing, sweep, { search: false, repeat: 3 }, RUN_FLAGS))).where).toBe('--repeat');
  });

  it('refuses a run that finished: nothing to resume', async () => {
    const dir = await saved(reportOf(sweep, [true, true, true], false));
    const error = await refusal(loadResumeState(dir, sweep, SWEEP, RUN_FLAGS));
    expect(error.where).toBe(join(dir, 'report.json'));
    expect(error.message).toContain('nothing to resume, the run finished');
  });

  it('names the report path when it is missing, not JSON, or not a pipebench report', async () => {
    const missing = await refusal(loadResumeState(join(root, 'empty'), sweep, SWEEP, RUN_FLAGS));
    expect(missing.where).toBe(join(root, 'empty', 'report.json'));
    const cases: [string, string][] = [
      ['{ not json', 'not JSON'],
      ['[1, 2]', 'a JSON object'],
      ['{"hello": "world"}', 'schemaVersion 1'],
      [JSON.stringify({ ...reportOf(sweep, [true]), partial: 'yes' }), 'partial'],
      [JSON.stringify({ ...reportOf(sweep, [true]), steps: [{ index: 0 }] }), 'steps[0]'],
    ];
    for (const [text, named] of cases) {
      const dir = join(root, `bad-${dirs++}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'report.json'), text);
      const error = await refusal(loadResumeState(dir, sweep, SWEEP, RUN_FLAGS));
      expect(error.message).toContain(join(dir, 'report.json'));
      expect(error.message).toContain(named);
    }
  });

  it('refuses a previous --search or --repeat run', async () => {
    const previous = reportOf(sweep, [true, false]);
    const searched = {
      ...previous,
      search: [
        {
          stage: 'classify',
          axis: 'batchSize',
          answer: 2,
          stepsRun: 2,
          fullSweepSteps: 3,
          itemsMeasured: 40,
          fullSweepItemsEstimate: 60,
          tried: [],
        },
      ],
    } satisfies RunReport;
    expect((await refusal(loadResumeState(await saved(searched), sweep, SWEEP, RUN_FLAGS))).message).toContain('--search run');
    const repeated = { ...previous, steps: previous.steps.map((step) => ({ ...step, repeats: { itemsPerSec: [1, 2], p95Ms: [1, 2] } })) };
    expect((await refusal(loadResumeState(await saved(repeated), sweep, SWEEP, RUN_FLAGS))).message).toContain('--repeat run');
  });

  it('resumes a scenario at its first incomplete load stage, and refuses another time scale', async () => {
    const previous = reportOf(spike, [true, true, false]);
    const dir = await saved(previous);
    const state = await loadResumeState(dir, spike, SWEEP, RUN_FLAGS);
    expect(state.nextIndex).toBe(2);
    expect(state.keptSteps.map((step) => step.profile?.name)).toEqual(['warm', 'baseline']);
    const rescaled = applyScenarioOverrides(await loadWorkload(SPIKE), { timeScale: 0.02 });
    const error = await refusal(loadResumeState(dir, rescaled, SWEEP, RUN_FLAGS));
    expect(error.message).toContain('workload.scenario.timeScale');
  });
});

describe('completedPrefix', () => {
  const step = (index: number, complete: boolean) => ({ index, complete }) as StepReport;
  it('is empty for no steps, and stops at a gap in the indices', () => {
    expect(completedPrefix([])).toEqual([]);
    expect(completedPrefix([step(0, true), step(2, true)]).map((s) => s.index)).toEqual([0]);
  });
  it('orders by index first', () => {
    expect(completedPrefix([step(1, true), step(0, true)]).map((s) => s.index)).toEqual([0, 1]);
  });
});

describe('warningsToCarry', () => {
  it('drops what the resumed run re-measures or says again, keeps the rest', () => {
    const warnings = [
      'step 0 (classify batch 1) had 2 failed items (timeout 2)',
      'step 1 (classify batch 2) did not complete; it is kept in the report but left out of the recommendation',
      'step 12 (classify batch 4) had 1 failed items (timeout 1)',
      'run stopped early: target closed',
      'budgets from /x/budgets.yaml: ...',
    ];
    expect(warningsToCarry({ warnings }, 1)).toEqual([warnings[0], warnings[4]]);
    expect(warningsToCarry({ warnings: [] }, 3)).toEqual([]);
    expect(warningsToCarry({ warnings }, 13)).toEqual([warnings[0], warnings[1], warnings[2], warnings[4]]);
  });
});
