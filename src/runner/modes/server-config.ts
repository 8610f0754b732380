/**
 * The server sweep (workload `server:`, issue 15): per configuration, launch the server on the
 * run's port, measure every planned step against it, stop it and check nothing of it is left. A
 * configuration whose server fails (exits at once, never healthy, crashes mid-step, ignores
 * SIGTERM) is marked failed with its log tail and costs only itself. Which configurations run is
 * server-search.ts's choice (search or grid).
 */
import { sameServerConfig, serverConfigLabel, type ServerParams, type ServerSpec } from '../../core/server-config.js';
import type { ServerConfigRun, ServerSweepFacts } from '../../core/report/server-sweep.js';
import type { StepReport } from '../../core/report/step.js';
import type { Step } from '../../core/workload.js';
import { serverBatchMean } from '../../analysis/server-choice.js';
import { measureStep } from '../run-step.js';
import type { RunMode, RunSession } from '../run-mode.js';
import { repeatedStepReport } from '../step-report.js';
import { gridSize, maxServerRuns, sweepServerConfigs, type ConfigOutcome } from '../server-search.js';
import { isServerUp, serverHost, serverLogPaths, type ServerHost, type ServerProblem } from '../server-host.js';

export interface ServerModeOptions {
  /** pipebench's environment: the launched command gets only PATH, HOME, LANG, TMPDIR and server.passEnv from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The report folder: server logs go to servers/ in it. */
  readonly outDir: string;
}

export function serverConfigMode(spec: ServerSpec, options: ServerModeOptions): RunMode {
  return {
    incompleteStepIsPartial: true,
    async run(session: RunSession): Promise<boolean> {
      const host = serverHost(spec, { targetUrl: targetUrl(session), env: options.env });
      const configurations: ServerConfigRun[] = [];
      const facts: ServerSweepFacts = {
        strategy: spec.searchAxis === null ? 'grid' : 'search',
        searchAxis: spec.searchAxis,
        gridConfigurations: gridSize(spec),
        gridSteps: gridSize(spec) * session.steps.length,
        configurations,
      };
      session.record.serverSweep = facts;
      const kept = keptConfigurations(session);
      // Steps of a configuration the resumed run measures again go; the kept configurations' steps are a prefix.
      session.record.steps.splice(kept.reduce((n, config) => Math.max(n, ...config.stepIndexes.map((i) => i + 1)), 0));
      const finished = await sweepServerConfigs(spec, async (params) => {
        if (session.signal?.aborted) return null;
        const again = kept.find((config) => sameServerConfig(config.params, params));
        const run = again
          ? { config: again, outcome: outcomeOf(again, session.record.steps) }
          : await runConfiguration(host, params, session, options, maxServerRuns(spec) * session.steps.length);
        // A launch the interrupt cut short is no failure of the configuration: it is not recorded, so --resume launches it.
        if (session.signal?.aborted && run.config.state === 'failed' && run.config.stepIndexes.length === 0) return null;
        configurations.push(run.config);
        await session.writeOutputs(true);
        return session.signal?.aborted ? null : run.outcome;
      });
      const finishWarning = await host.finish();
      if (finishWarning !== null) session.context.warn(finishWarning);
      return finished && !session.signal?.aborted;
    },
  };
}

interface ConfigResult {
  readonly config: ServerConfigRun;
  readonly outcome: ConfigOutcome;
}

/** `of`: the most steps the sweep can run, for progress (a search often runs fewer). */
async function runConfiguration(
  host: ServerHost,
  params: ServerParams,
  session: RunSession,
  options: ServerModeOptions,
  of: number,
): Promise<ConfigResult> {
  const { context, record } = session;
  const log = serverLogPaths(options.outDir, params);
  const command = host.command(params);
  const base = { params, command, logPath: log.relative, stepIndexes: [] as number[] };
  const failed = (problem: ServerProblem): ConfigResult => {
    context.warn(`server ${serverConfigLabel(params)}: ${problem.failure} (log: ${log.relative})`);
    return {
      config: { ...base, state: 'failed', ...problem },
      outcome: { measured: false, itemsPerSec: null, withinBudget: false, serverBatchMean: null },
    };
  };
  context.emit({ kind: 'note', message: `server ${serverConfigLabel(params)}: ${command}` });
  const server = await host.up(params, log.absolute, session.signal);
  if (!isServerUp(server)) return failed(server);
  const reports: StepReport[] = [];
  let down: Awaited<ReturnType<typeof server.down>>;
  try {
    for (const template of session.steps) {
      if (session.signal?.aborted) break;
      const step: Step = { ...template, index: record.steps.length, serverConfig: params, serverLog: log.relative };
      context.emit({ kind: 'step-start', step, of, repeat: null });
      const report = repeatedStepReport(step, [await measureStep(step, context)], session.stageBudgets[step.stage], false);
      record.steps.push(report);
      reports.push(report);
      base.stepIndexes.push(step.index);
      await session.finishStep(step, report, true);
      if (server.crashed() !== null) break;
    }
  } finally {
    down = await server.down();
  }
  if (down.problem !== null) return failed(down.problem);
  const config: ServerConfigRun = { ...base, state: 'measured', failure: null, logTail: [], stop: down.stop };
  return { config, outcome: outcomeOf(config, reports) };
}

/** What a configuration measured, for the search: from its own steps. */
function outcomeOf(config: ServerConfigRun, steps: readonly StepReport[]): ConfigOutcome {
  if (config.state === 'failed') return { measured: false, itemsPerSec: null, withinBudget: false, serverBatchMean: null };
  const complete = steps.filter((step) => config.stepIndexes.includes(step.index) && step.complete);
  return {
    measured: true,
    itemsPerSec: complete.length === 0 ? null : Math.max(...complete.map((report) => report.throughput.itemsPerSec)),
    withinBudget: complete.some((report) => report.withinBudget),
    serverBatchMean: complete.map(serverBatchMean).find((mean) => mean !== null) ?? null,
  };
}

/**
 * --resume: the interrupted run's configurations that need no new launch, in the order it ran them:
 * failed ones, and measured ones whose every planned step was kept. The first other one ends them
 * (it and everything after it is measured again).
 */
function keptConfigurations(session: RunSession): ServerConfigRun[] {
  const previous = session.resume?.previous.serverSweep?.configurations ?? [];
  const keptIndexes = new Set(session.resume?.keptSteps.map((step) => step.index) ?? []);
  const kept: ServerConfigRun[] = [];
  for (const config of previous) {
    const allKept = config.stepIndexes.every((index) => keptIndexes.has(index));
    if (!allKept || (config.state === 'measured' && config.stepIndexes.length !== session.steps.length)) break;
    kept.push(config);
  }
  return kept;
}

function targetUrl(session: RunSession): string {
  const target = session.workload.target;
  if (target.kind !== 'http') throw new TypeError('a server sweep needs an HTTP target');
  return target.url;
}
