/**
 * `pipebench run [workload]`'s action: flags -> typed overrides -> every input checked ->
 * runBenchmark -> exit code. Nothing is opened, loaded or written until every input has passed its check.
 */
import { join, resolve } from 'node:path';
import { collectEnvironment } from '../telemetry/environment.js';
import { readReplayTrace } from '../telemetry/gpu-replay.js';
import type { GpuTelemetryMode } from '../telemetry/gpu-telemetry.js';
import type { ServerMetricsMode } from '../telemetry/server-metrics/session.js';
import { SERVER_METRICS_DEFAULTS } from '../workload/server-metrics-spec.js';
import { loadWorkload } from '../workload/load.js';
import { resolveRunPlan } from '../workload/run-plan.js';
import { loadBudgetsFile } from '../workload/budgets-file.js';
import { signoffOf } from '../workload/signoff.js';
import type { Workload } from '../core/workload.js';
import { parseScenarioFlag, scenarioPresetPath } from '../workload/scenario-overrides.js';
import { InputError } from '../errors.js';
import { loadResumeState } from '../runner/resume.js';
import { defaultOutDir, defaultRunId, runBenchmark } from '../runner/run-benchmark.js';
import { openWorkloadTarget } from '../runner/open-target.js';
import { checkRunInputs } from '../runner/run-inputs.js';
import type { RunListener } from '../runner/events.js';
import { describeFinding } from '../analysis/alerts.js';
import { SECTION_OF_STAGE } from '../workload/stage-budgets.js';
import { formatMs, formatPct } from '../format.js';
import type { RunReport } from '../core/report/run.js';
import { openJsonlStream } from './live/jsonl-stream.js';
import { parsePrometheusAddress, startLiveExporter } from './live/prometheus-exporter.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { exitCodeForRun } from './exit-code.js';
import { parseDurationFlag } from './flags.js';
import type { CommandContext } from './context.js';
import { progressListener } from './progress.js';
import { RUN_FLAGS, type RunFlags } from './run-flags.js';
import { refuseSweepFlags, runOverridesFromFlags } from './run-flag-values.js';
import { renderRunSummary } from './run-summary.js';
import { shardRunOf, shardSlotOf, startAtOf } from './shard-flags.js';
import type { ShardRun } from '../runner/shard-run.js';
import { estimateClockOffset } from '../targets/http/clock-offset.js';
import { epochNowMs } from '../core/clock.js';

export async function runCommand(workloadPath: string | undefined, flags: RunFlags, context: CommandContext): Promise<void> {
  const base = await loadWorkload(workloadFile(workloadPath, flags, context));
  if (base.scenario !== undefined) refuseSweepFlags(flags, base.name);
  const builtinHttp = workloadPath === undefined && flags.scenario === undefined && flags.target !== undefined;
  const workload = resolveRunPlan(base, runOverridesFromFlags(flags, builtinHttp), RUN_FLAGS);
  const budgets = flags.budgets === undefined ? undefined : await loadBudgetsFile(resolve(context.io.cwd, flags.budgets));
  const gpuTelemetry = await gpuTelemetryMode(flags, context);
  if (flags.resume === true && flags.out === undefined)
    throw new InputError(RUN_FLAGS.resume, `expected ${RUN_FLAGS.out} <dir>: the folder of the interrupted run to continue`);
  const newRunId = flags.runId ?? defaultRunId(new Date(), workload.name);
  const outDir = flags.out ? resolve(context.io.cwd, flags.out) : defaultOutDir(context.io.cwd, newRunId);
  const signoff = signoffOf(workload);
  const resume =
    flags.resume === true
      ? await loadResumeState(outDir, workload, { search: signoff.search, repeat: signoff.repeat }, RUN_FLAGS)
      : undefined;
  // A resumed run goes on under its first run id, in the same folder.
  const runId = resume?.previous.runId ?? newRunId;
  const shard = await shardOf(flags, workload, context);
  if (shard !== null && flags.resume === true)
    throw new InputError(RUN_FLAGS.resume, 'expected a run without --shard: a shard starts with the others, whole');
  // The host survey (a few files, and git) goes on while the inputs are read and checked; a refused
  // run drops it, and its failure, if any, surfaces where the run awaits it.
  const environment = collectEnvironment();
  environment.catch(() => undefined);
  const inputs = await checkRunInputs(workload, outDir);
  // Every input passed: from here on the run opens, loads and writes.
  const progress = progressListener(context.io, { quiet: flags.quiet === true });
  const live = await openLiveOutputs(flags, workload.name, context);
  try {
    const result = await runBenchmark({
      workload,
      outDir,
      runId,
      environment: await environment,
      openTarget: (w) => openWorkloadTarget(w, context.io.env),
      env: context.io.env,
      signal: context.signal,
      onEvent: (event) => {
        progress(event);
        for (const output of live) output.listener(event);
      },
      gpuTelemetry,
      serverMetrics: serverMetricsMode(workload),
      inputs,
      ...(budgets && { budgets }),
      ...(resume && { resume }),
      ...(shard && { shard }),
    });
    context.io.stdout.write(renderRunSummary(result.report, result.files) + breachLines(result.report, budgets?.source ?? null));
    context.exitCode = exitCodeForRun(result.report);
  } finally {
    for (const output of live) await output.close();
    for (const output of live) {
      const problem = output.problem?.() ?? null;
      if (problem !== null) context.io.stderr.write(`warning: ${problem}\n`);
    }
  }
}

interface LiveOutput {
  readonly listener: RunListener;
  close(): Promise<void>;
  problem?(): string | null;
}

/** --prometheus-port and --out-jsonl: consumers of the run's events, opened before it starts. */
async function openLiveOutputs(flags: RunFlags, workloadName: string, context: CommandContext): Promise<LiveOutput[]> {
  const outputs: LiveOutput[] = [];
  try {
    if (flags.prometheusPort !== undefined) {
      const exporter = await startLiveExporter({ ...parsePrometheusAddress(flags.prometheusPort), workload: workloadName });
      outputs.push(exporter);
      context.io.stderr.write(`live metrics at ${exporter.url}\n`);
    }
    if (flags.outJsonl !== undefined) outputs.push(await openJsonlStream(resolve(context.io.cwd, flags.outJsonl)));
  } catch (error) {
    for (const output of outputs) await output.close();
    throw error;
  }
  return outputs;
}

/** The workload file: the one named, a --scenario preset, or the built-in default (HTTP: http.yaml). */
function workloadFile(workloadPath: string | undefined, flags: RunFlags, context: CommandContext): string {
  if (flags.scenario !== undefined) {
    if (workloadPath !== undefined)
      throw new InputError(
        RUN_FLAGS.scenario,
        `expected a workload file or ${RUN_FLAGS.scenario}, got both ("${workloadPath}" and ${RUN_FLAGS.scenario} ${flags.scenario})`,
      );
    return scenarioPresetPath(parseScenarioFlag(flags.scenario, RUN_FLAGS.scenario));
  }
  const builtin = flags.target === undefined ? 'default.yaml' : 'http.yaml';
  return resolve(context.io.cwd, workloadPath ?? join(PACKAGE_ROOT, 'workloads', builtin));
}

/** What made the run exit 1, by name: each stage with no batch size within its budget, each fired alert. */
function breachLines(report: RunReport, budgetsFile: string | null): string {
  const lines: string[] = [];
  for (const rec of report.recommendation) {
    if (rec.batchSize !== null) continue;
    const budget = report.stageBudgets[rec.stage];
    const which = budgetsFile === null ? "the workload's budget" : `${SECTION_OF_STAGE[rec.stage]} in ${budgetsFile}`;
    lines.push(
      `  budget breached: ${rec.stage} has no batch size within ${which} ` +
        `(p95 ${formatMs(budget.p95Ms)}, p99 ${formatMs(budget.p99Ms)}, error rate ${formatPct(budget.maxErrorRate)})`,
    );
  }
  for (const finding of report.alerts) if (finding.kind === 'fired') lines.push(`  budget breached: ${describeFinding(finding)}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** --shard/--start-at (or their environment), checked; an HTTP shard's clock offset from its target's Date header. */
async function shardOf(flags: RunFlags, workload: Workload, context: CommandContext): Promise<ShardRun | null> {
  const slot = shardSlotOf(flags, context.io.env);
  const startAtMs = startAtOf(flags, context.io.env);
  // Checked before the probe, so a refused shard sends nothing.
  const checked = shardRunOf(slot, startAtMs, workload, null);
  if (slot === null || checked === null || workload.target.kind !== 'http') return checked;
  return shardRunOf(slot, startAtMs, workload, await estimateClockOffset(workload.target.url, epochNowMs));
}

/** What the run scrapes: the HTTP target's serverMetrics spec (on by default, the target's own /metrics). */
function serverMetricsMode(workload: Workload): ServerMetricsMode {
  const { target } = workload;
  if (target.kind !== 'http') return { kind: 'off' };
  const spec = target.serverMetrics ?? SERVER_METRICS_DEFAULTS;
  return spec.enabled ? { kind: 'scrape', urls: spec.urls, auto: spec.urls.length === 0, intervalMs: spec.intervalMs } : { kind: 'off' };
}

/** Live nvidia-smi by default (absent, with one warning, where there is none); a trace replays (read and checked now). */
async function gpuTelemetryMode(flags: RunFlags, context: CommandContext): Promise<GpuTelemetryMode> {
  if (flags.gpuTrace !== undefined) return { kind: 'replay', trace: await readReplayTrace(resolve(context.io.cwd, flags.gpuTrace)) };
  if (flags.gpu === false) return { kind: 'off' };
  const intervalMs = parseDurationFlag('--gpu-interval', flags.gpuInterval ?? '100ms');
  if (intervalMs < 10) throw new InputError('--gpu-interval', `expected at least 10ms, got "${flags.gpuInterval}"`);
  return { kind: 'nvidia-smi', intervalMs: Math.round(intervalMs), env: { ...context.io.env } };
}
