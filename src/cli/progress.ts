/**
 * Listens to run events and shows progress. On a TTY: the permanent lines (run header, finished
 * steps, warnings, notes) with the live view redrawn under them. Otherwise: plain lines only (CI
 * logs). The runner only emits; this is the only place that formats progress.
 */
import type { RunEvent, RunListener, ServerSweepPlan } from '../runner/events.js';
import { epochNowMs, type Clock } from '../core/clock.js';
import { formatMs, formatPct, formatRate } from '../format.js';
import { initialLiveState, reduceLiveState } from './live/live-state.js';
import type { CliIo } from './io.js';
import { LiveScreen, renderLiveView } from './live-view.js';
import { stepLabel } from './step-label.js';
import type { StepReport } from '../core/report/step.js';

export { stepLabel } from './step-label.js';

export interface ProgressOptions {
  readonly quiet: boolean;
  /** For tests; default epochNowMs. */
  readonly clock?: Clock;
}

export function progressListener(io: CliIo, options: ProgressOptions): RunListener {
  const lines = permanentLines();
  if (io.stderr.isTTY !== true || options.quiet) {
    return (event) => {
      if (options.quiet && event.kind !== 'warning') return;
      const line = lines(event);
      if (line !== null) io.stderr.write(line);
    };
  }
  const clock = options.clock ?? epochNowMs;
  const screen = new LiveScreen(io.stderr);
  const columns = (io.stderr as { readonly columns?: unknown }).columns;
  const view = { columns: typeof columns === 'number' ? columns : undefined };
  let state = initialLiveState(clock());
  return (event) => {
    state = reduceLiveState(state, event, clock());
    const line = lines(event);
    if (event.kind === 'run-end') {
      screen.clear();
      if (line !== null) io.stderr.write(line);
    } else if (line !== null) {
      screen.print(line, state.runId === null ? null : renderLiveView(state, view));
    } else {
      screen.draw(renderLiveView(state, view));
    }
  };
}

/** The lines that stay: the same text on a TTY (above the live view) and in a log. */
function permanentLines(): (event: RunEvent) => string | null {
  let stepNo = 0;
  let total = '0';
  let repeatTag = '';
  return (event) => {
    switch (event.kind) {
      case 'run-start': {
        if (event.server) {
          const plan = serverPlan(event.server, event.steps.length);
          total = plan.total;
          return `pipebench run ${event.runId}: ${plan.how} on ${event.backend}; writing ${event.outDir}\n`;
        }
        const sweep = event.steps.length * event.repeat;
        total = event.search ? `<=${event.steps.length}` : String(sweep);
        const how = event.search
          ? `a search over ${event.steps.length} steps`
          : event.repeat > 1
            ? `${event.steps.length} steps x ${event.repeat} repeats`
            : `${sweep} steps`;
        return `pipebench run ${event.runId}: ${how} on ${event.backend}; writing ${event.outDir}\n`;
      }
      case 'step-start':
        stepNo++;
        repeatTag = event.repeat === null ? '' : ` (repeat ${event.repeat})`;
        return null;
      case 'step-end': {
        const r = event.report;
        const p95 = r.latencyMs.e2e ? formatMs(r.latencyMs.e2e.p95) : '-';
        const verdict = r.withinBudget ? 'within budget' : 'over budget';
        return (
          `[${event.step.profile ? event.step.profile.stageIndex + 1 : stepNo}/${total}] ${stepLabel(event.step)}: ` +
          `${formatRate(r.throughput.itemsPerSec)} items/s, p95 ${p95}, ${verdict}` +
          (r.errors.total > 0 ? `, ${r.errors.total} errors` : '') +
          heldText(r) +
          (r.openLoop ? `, sent ${formatRate(r.openLoop.achievedRatePerSec)}/s (${formatPct(r.openLoop.lateShare)} late)` : '') +
          (r.stability?.kind === 'unstable' ? ', unstable' : '') +
          (r.stability && r.stability.extendedMs > 0 ? ` (extended ${(r.stability.extendedMs / 1000).toFixed(1)} s)` : '') +
          (r.complete ? '' : ' (incomplete)') +
          repeatTag +
          '\n'
        );
      }
      case 'warning':
      case 'note':
        return `${event.kind}: ${event.message}\n`;
      case 'tick':
      case 'window':
      case 'run-end':
        return null;
    }
  };
}

/** ", held 15.2 of 16 in flight" for a closed-loop step that knows what it held; "" otherwise. */
function heldText(report: StepReport): string {
  const held = report.achievedConcurrency;
  if (report.concurrency === null || report.openLoop !== null || typeof held !== 'number') return '';
  return `, held ${held.toFixed(1)} of ${report.concurrency} in flight`;
}

/** A server sweep's start: configurations x load levels, and for a search at most how many runs of the grid. */
function serverPlan(plan: ServerSweepPlan, levels: number): { readonly how: string; readonly total: string } {
  const configs = `${plan.gridConfigurations} server configuration${plan.gridConfigurations === 1 ? '' : 's'}`;
  const perConfig = `${levels} load level${levels === 1 ? '' : 's'}`;
  if (plan.searchAxis === null)
    return {
      how: `a grid of ${configs} x ${perConfig} (${plan.gridConfigurations * levels} steps)`,
      total: String(plan.gridConfigurations * levels),
    };
  return {
    how: `a search along ${plan.searchAxis}: up to ${plan.maxRuns} runs of a grid of ${configs}, each x ${perConfig}`,
    total: `<=${plan.maxRuns * levels}`,
  };
}
