/** `pipebench gpu info | record | summarize`'s actions: the GPU telemetry on its own, outside a run. */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, InputError } from '../errors.js';
import { summarizeGpuWindow } from '../telemetry/gpu-aggregate.js';
import { readGpuInventory } from '../telemetry/gpu-inventory.js';
import { startNvidiaSmiSampler } from '../telemetry/gpu-sampler.js';
import { renderGpuInventoryText, renderGpuWindowText } from '../telemetry/gpu-summary-text.js';
import { parseGpuTrace, resolveTraceWindow } from '../telemetry/gpu-trace.js';
import type { TimeZoneRule } from '../telemetry/types.js';
import { parseDurationFlag } from './flags.js';
import type { CommandContext } from './context.js';

const LOCAL: TimeZoneRule = { kind: 'local' };

export interface GpuRecordFlags {
  readonly out: string;
  readonly duration?: string;
  readonly interval: string;
}

export interface GpuSummarizeFlags {
  readonly from?: string;
  readonly to?: string;
  readonly items?: string;
  readonly json?: boolean;
}

export async function gpuInfo(flags: { json?: boolean }, context: CommandContext): Promise<void> {
  const { io } = context;
  const result = await readGpuInventory({ env: { ...io.env } });
  io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderGpuInventoryText(result));
  // No GPU (or no working nvidia-smi) is the target being unavailable, not bad input.
  context.exitCode = result.kind === 'ok' ? ExitCode.ok : ExitCode.internal;
}

export async function gpuRecord(flags: GpuRecordFlags, context: CommandContext): Promise<void> {
  const { io } = context;
  const intervalMs = Math.round(parseDurationFlag('--interval', flags.interval));
  const durationMs = flags.duration === undefined ? null : parseDurationFlag('--duration', flags.duration);
  const path = resolve(io.cwd, flags.out);
  const file = createWriteStream(path);
  await new Promise<void>((ok, fail) => {
    file.once('open', () => ok());
    file.once('error', (error) => fail(new InputError('--out', `cannot write ${path} (${error.message})`)));
  });
  const sampler = await startNvidiaSmiSampler({ intervalMs, env: { ...io.env }, onLine: (line) => file.write(`${line}\n`) });
  io.stderr.write(`recording to ${path} every ${intervalMs} ms; Ctrl-C to stop\n`);
  await recordingEnds(sampler.ready, durationMs, context.signal);
  const result = await sampler.stop();
  await new Promise<void>((done) => file.end(done));
  io.stdout.write(`${result.samples.length} samples written to ${path} (${result.status}${result.reason ? `: ${result.reason}` : ''})\n`);
  context.exitCode = result.samples.length > 0 ? ExitCode.ok : ExitCode.internal;
}

export async function gpuSummarize(tracePath: string, flags: GpuSummarizeFlags, context: CommandContext): Promise<void> {
  const { io } = context;
  const path = resolve(io.cwd, tracePath);
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new InputError(tracePath, `cannot read the trace (${error.message})`);
  });
  const trace = parseGpuTrace(text, LOCAL);
  if (trace.samples.length === 0) {
    throw new InputError(
      tracePath,
      `no nvidia-smi samples found${trace.firstGarbage ? `; first unreadable line: ${trace.firstGarbage}` : ''}`,
    );
  }
  const window = resolveTraceWindow(trace.samples, { from: flags.from, to: flags.to }, LOCAL);
  const items = flags.items === undefined ? undefined : Number(flags.items);
  if (items !== undefined && !(Number.isInteger(items) && items > 0))
    throw new InputError('--items', `expected a positive integer, got "${flags.items}"`);
  const summaries = summarizeGpuWindow(trace.samples, window.fromMs, window.toMs, items === undefined ? {} : { items });
  io.stdout.write(
    flags.json
      ? `${JSON.stringify({ trace: path, fromMs: window.fromMs, toMs: window.toMs, lines: trace.lines, gpus: summaries }, null, 2)}\n`
      : renderGpuWindowText(summaries, { ...window, timeZone: LOCAL }),
  );
}

/** Ctrl-C, --duration, or a sampler that gave up (no GPU, nvidia-smi died) ends a recording. */
function recordingEnds(ready: Promise<boolean>, durationMs: number | null, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = durationMs === null ? undefined : setTimeout(done, durationMs);
    const finish = (): void => {
      clearTimeout(timer);
      done();
    };
    signal.addEventListener('abort', finish, { once: true });
    void ready.then((ok) => (ok ? undefined : finish()));
  });
}
