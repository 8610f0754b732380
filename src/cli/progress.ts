/**
 * Listens to run events and shows progress: one live line on a TTY, plain lines otherwise
 * (CI logs). The runner only emits; this is the only place that formats progress.
 */
import type { RunEvent, RunListener } from '../runner/events.js';
import { formatMs, formatPct, formatRate } from '../format.js';
import type { Step } from '../workload/types.js';
import type { CliIo } from './io.js';

export function progressListener(io: CliIo, options: { readonly quiet: boolean }): RunListener {
  const tty = io.stderr.isTTY === true;
  const out = (line: string): void => void io.stderr.write(line);
  let stepNo = 0;
  let total = '0';
  let repeatTag = '';
  return (event: RunEvent) => {
    if (options.quiet && event.kind !== 'warning') return;
    switch (event.kind) {
      case 'run-start': {
        const sweep = event.steps.length * event.repeat;
        total = event.search ? `<=${event.steps.length}` : String(sweep);
        const how = event.search ? `a search over ${event.steps.length} steps` : event.repeat > 1 ? `${event.steps.length} steps x ${event.repeat} repeats` : `${sweep} steps`;
        out(`pipebench run ${event.runId}: ${how} on ${event.backend}; writing ${event.outDir}\n`);
        break;
      }
      case 'step-start':
        stepNo++;
        repeatTag = event.repeat === null ? '' : ` (repeat ${event.repeat})`;
        if (tty) out(`\r\x1b[2K[${stepNo}/${total}] ${stepLabel(event.step)} ...`);
        break;
      case 'tick':
        if (tty) {
          const p95 = event.p95Ms === null ? '-' : formatMs(event.p95Ms);
          out(
            `\r\x1b[2K[${stepNo}/${total}] ${stepLabel(event.step)}  ` +
              `${(event.elapsedMs / 1000).toFixed(1)} s  ${event.completed} items  p95 ${p95}` +
              (event.errors > 0 ? `  ${event.errors} errors` : ''),
          );
        }
        break;
      case 'step-end': {
        const r = event.report;
        const p95 = r.latencyMs.e2e ? formatMs(r.latencyMs.e2e.p95) : '-';
        const verdict = r.withinBudget ? 'within budget' : 'over budget';
        out(
          `${tty ? '\r\x1b[2K' : ''}[${stepNo}/${total}] ${stepLabel(event.step)}: ` +
            `${formatRate(r.throughput.itemsPerSec)} items/s, p95 ${p95}, ${verdict}` +
            (r.errors.total > 0 ? `, ${r.errors.total} errors` : '') +
            (r.openLoop ? `, sent ${formatRate(r.openLoop.achievedRatePerSec)}/s (${formatPct(r.openLoop.lateShare)} late)` : '') +
            (r.stability?.kind === 'unstable' ? ', unstable' : '') +
            (r.stability && r.stability.extendedMs > 0 ? ` (extended ${(r.stability.extendedMs / 1000).toFixed(1)} s)` : '') +
            (r.complete ? '' : ' (incomplete)') +
            repeatTag +
            '\n',
        );
        break;
      }
      case 'warning':
      case 'note':
        out(`${tty ? '\r\x1b[2K' : ''}${event.kind}: ${event.message}\n`);
        break;
      case 'run-end':
        break;
    }
  };
}

/** "classify batch 4", plus the load level: "x8 in flight" (closed) or "@ 20 req/s" (open). */
export function stepLabel(step: Step): string {
  const level = step.arrivals !== null ? ` @ ${step.arrivals.ratePerSec} req/s` : step.concurrency !== null ? ` x${step.concurrency} in flight` : '';
  return `${step.stage} batch ${step.batchSize}${level}`;
}
