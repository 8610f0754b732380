/**
 * The TTY live view: a few status lines redrawn in place under the permanent lines (run header,
 * finished steps, warnings). renderLiveView is pure (state in, lines out); LiveScreen does the
 * ANSI cursor work: move up over the last drawing, clear to the end of the screen, draw again.
 */
import { formatBytes, formatMs, formatRate } from '../format.js';
import { stepElapsedMs, stepLevel, type LiveState } from './live/live-state.js';
import { durationText, stepLabel } from './step-label.js';

export interface LiveViewOptions {
  /** Terminal width: longer lines are cut so that each takes exactly one row. */
  readonly columns?: number;
}

export function renderLiveView(state: LiveState, options: LiveViewOptions = {}): string[] {
  const elapsed = state.runStartedAtMs === null ? '-' : durationText(state.nowMs - state.runStartedAtMs);
  const lines = [
    `pipebench run ${state.runId ?? '-'}  elapsed ${elapsed}`,
    stepLine(state),
    loadLine(state),
    errorLine(state),
    resourceLine(state),
  ];
  const columns = options.columns;
  return columns !== undefined && columns > 1
    ? lines.map((line) => (line.length < columns ? line : `${line.slice(0, columns - 2)}…`))
    : lines;
}

function stepLine(state: LiveState): string {
  const step = state.step;
  if (step === null) return 'step -  starting';
  const of = state.plannedSteps === null ? '?' : state.search ? `<=${state.plannedSteps}` : String(state.plannedSteps);
  const elapsedMs = stepElapsedMs(state) ?? 0;
  const label =
    step.profile === undefined
      ? `${stepLabel(step)}, ${durationText(elapsedMs)}`
      : `${stepLabel(step, elapsedMs)} (${step.stage} batch ${step.batchSize})`;
  const repeat = state.repeat === null ? '' : ` (repeat ${state.repeat})`;
  return `step ${state.stepNo}/${of}  ${label}${repeat}`;
}

function loadLine(state: LiveState): string {
  const unit = state.step?.arrivals ? 'req/s' : 'in flight';
  const w = state.window;
  const level = w?.level ?? (state.step === null ? null : stepLevel(state.step));
  const load = `load ${level === null ? '-' : `${formatRate(level)} ${unit}`}`;
  if (w === null) {
    const p95 = state.stepP95Ms === null ? '-' : formatMs(state.stepP95Ms);
    return `${load}  |  no window yet (step so far: ${state.stepCompleted} items, p95 ${p95})`;
  }
  const ms = (value: number | null) => (value === null ? '-' : formatMs(value));
  return `${load}  |  last window: p50 ${ms(w.p50Ms)}  p95 ${ms(w.p95Ms)}  p99 ${ms(w.p99Ms)}  ${formatRate(w.itemsPerSec)} items/s`;
}

function errorLine(state: LiveState): string {
  const last = state.window === null ? '-' : String(state.window.errors);
  return `errors ${state.errorsTotal} total, ${last} in the last window  |  items ${state.itemsTotal}`;
}

function resourceLine(state: LiveState): string {
  const gpu = `gpu ${state.gpuUtilPct === null ? '-' : `${state.gpuUtilPct.toFixed(0)} %`}`;
  const host = state.host;
  if (host === null) return `${gpu}  |  host -`;
  const cpu = host.processCpuPct === null ? '-' : `${host.processCpuPct.toFixed(0)} %`;
  const system = host.systemCpuPct === null ? '' : ` (machine ${host.systemCpuPct.toFixed(0)} %)`;
  const loop = host.eventLoopDelayP99Ms === null ? '-' : formatMs(host.eventLoopDelayP99Ms);
  return `${gpu}  |  host cpu ${cpu}${system}  rss ${formatBytes(host.rssBytes)}  heap ${formatBytes(host.heapUsedBytes)}  event loop p99 ${loop}`;
}

/** Where the view is drawn: a TTY stream. */
export interface LiveScreenSink {
  write(chunk: string): unknown;
}

/** Keeps the drawn block at the bottom: permanent lines go above it, the block is redrawn below. */
export class LiveScreen {
  private drawnLines = 0;

  constructor(private readonly sink: LiveScreenSink) {}

  /** Replace the block with `lines`. */
  draw(lines: readonly string[]): void {
    this.sink.write(this.erase() + lines.map((line) => `${line}\n`).join(''));
    this.drawnLines = lines.length;
  }

  /** Print a permanent line (ending in "\n") above the block, then draw `lines` under it. */
  print(text: string, lines: readonly string[] | null): void {
    this.sink.write(this.erase() + text + (lines ?? []).map((line) => `${line}\n`).join(''));
    this.drawnLines = lines?.length ?? 0;
  }

  /** Remove the block (end of run). */
  clear(): void {
    if (this.drawnLines > 0) this.sink.write(this.erase());
    this.drawnLines = 0;
  }

  /** Cursor up over the block, then clear to the end of the screen; one write, so no flicker between. */
  private erase(): string {
    return this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r\x1b[J` : '';
  }
}
