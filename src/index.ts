/**
 * pipebench as a library: run a workload and get its typed report; load saved reports, re-judge
 * them and compare two runs; the report model's types. README "Use as a library" shows each.
 * Nothing here prints or exits: failures are thrown as PipebenchError subclasses carrying an exit code.
 */

// Running
export { runWorkload, type RunWorkloadOptions } from './runner/run-workload.js';
export { runBenchmark, defaultOutDir, defaultRunId, type RunOptions, type RunResult } from './runner/run-benchmark.js';
export type { RunEvent, RunListener } from './runner/events.js';
export type { RunnerTarget } from './runner/types.js';
export type { Target, TargetInfo, BatchingConfig, BatchUnit, StaticBatchTarget } from './targets/target.js';
export { loadWorkload, parseWorkload } from './workload/load.js';
export { loadBudgetsFile, parseBudgetsFile, type BudgetsFile } from './workload/budgets-file.js';
export { resolveRunPlan, type RunOverrides } from './workload/run-plan.js';
export { planSteps } from './workload/plan.js';
export type { GpuTelemetryMode } from './telemetry/gpu-telemetry.js';

// Reports: load, re-judge, compare, map to an exit code
export { loadReport } from './report/read-report.js';
export { reanalyze, type Reanalysis } from './analysis/reanalyze.js';
export { compareRuns } from './analysis/compare.js';
export { DEFAULT_COMPARE_OPTIONS, type CompareOptions, type CompareResult } from './analysis/compare-model.js';
export { exitCodeForRun } from './cli/exit-code.js';
export { ExitCode, PipebenchError, InputError, TargetUnavailableError, InternalError } from './errors.js';

// The report model (report.json) and the vocabulary it is written in
export { REPORT_SCHEMA_VERSION } from './core/report/run.js';
export type * from './core/report/run.js';
export type * from './core/report/step.js';
export type * from './core/report/scenario.js';
export type * from './core/report/scenario-verdict.js';
export type * from './core/report/verdicts.js';
export type * from './core/report/telemetry.js';
export type * from './core/report/environment.js';
export type * from './core/measurement.js';
export type * from './core/workload.js';
export type * from './core/scenario.js';
export type * from './core/report/server-metrics.js';
export type * from './core/report/bottleneck.js';
export type { Stage } from './core/stage.js';
export type { ItemResult } from './core/item-result.js';
export type { ModelInfo, ModelTask } from './core/model-info.js';
export type { AlertRule } from './core/alert-rule.js';
export { STAGES } from './core/stage.js';
