/**
 * The seam between one run's flow (runBenchmark: open, sample, write, clean up) and the way it
 * measures its plan: a sweep, an adaptive search, a scenario's continuous drive. A new way (a
 * server-configuration sweep, say) is one more RunMode in modes/ and one more line in modes/index.ts.
 */
import type { SearchReport } from '../core/report/run.js';
import type { ScenarioFacts } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import type { ServerSweepFacts } from '../core/report/server-sweep.js';
import type { Step, Workload } from '../core/workload.js';
import type { StageBudgets } from '../workload/stage-budgets.js';
import type { SignoffSettings } from '../core/workload.js';
import type { ResumeState } from './resume.js';
import type { StepContext } from './run-step.js';

/** What the run has measured so far; every output is built from it. Modes add to it. */
export interface RunRecord {
  /** By plan index (sweeps) or in measuring order (searches, scenarios). */
  readonly steps: StepReport[];
  readonly searches: SearchReport[];
  scenario: ScenarioFacts | null;
  /** Server sweeps: the configurations launched so far. */
  serverSweep?: ServerSweepFacts | null;
}

/** What a mode gets from the run. */
export interface RunSession {
  readonly workload: Workload;
  readonly signoff: SignoffSettings;
  readonly steps: readonly Step[];
  readonly stageBudgets: StageBudgets;
  readonly context: StepContext;
  readonly record: RunRecord;
  /** Plan index the run starts at (after --resume's kept steps; 0 otherwise). */
  readonly firstIndex: number;
  readonly resume: ResumeState | undefined;
  readonly signal: AbortSignal | undefined;
  /**
   * A step was reported: tell the listeners and rewrite the outputs. `jsonOnly`: only report.json
   * (a scenario's next stage is already under load; see modes/scenario.ts).
   */
  finishStep(step: Step, report: StepReport, partial: boolean, jsonOnly?: boolean): Promise<void>;
  /** Rewrite every output as the record stands. */
  writeOutputs(partial: boolean): Promise<void>;
}

export interface RunMode {
  /** Measures the plan; resolves true when everything it set out to measure was measured. */
  run(session: RunSession): Promise<boolean>;
  /** Whether a step that did not complete leaves the run partial (a stress scenario may stop early by design). */
  readonly incompleteStepIsPartial: boolean;
}
