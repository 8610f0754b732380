/**
 * The live GPU sampler: one long-lived `nvidia-smi --query-gpu=... -lms <interval>` process, read
 * line by line (readline over its stdout: the event loop never blocks on it). Whatever nvidia-smi
 * does wrong (missing, exits, hangs, prints garbage, loses the GPU) ends as a status and one
 * reason in the result; nothing throws and no nvidia-smi process outlives stop().
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { epochNowMs, type Clock } from '../core/clock.js';
import { terminateChild, trackChild } from './child-registry.js';
import { DEFAULT_GPU_QUERY_FIELDS, selectSupportedFields } from './gpu-fields.js';
import { readProcessCpuMs } from './harness-health.js';
import { describeFailure, lastMeaningfulLine, runCommand } from './run-command.js';
import { SampleIngest } from './sample-ingest.js';
import type { GpuSample, Sampler, SamplerResult, TimeZoneRule } from './types.js';
import type { FieldSelection, TelemetryStatus } from '../core/report/telemetry.js';

export interface NvidiaSmiSamplerOptions {
  readonly intervalMs?: number;
  readonly command?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Fields wanted (checked against --help-query-gpu; default DEFAULT_GPU_QUERY_FIELDS). */
  readonly fields?: readonly string[];
  readonly timeZone?: TimeZoneRule;
  readonly helpTimeoutMs?: number;
  /** Give up when no sample arrived this long after the start (default 10 s). */
  readonly startupTimeoutMs?: number;
  /** Give up when no line arrived this long once sampling ran (default max(3 s, 30 intervals)). */
  readonly stallTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this long (default 1 s). */
  readonly stopGraceMs?: number;
  /** Lines without a single sample after which the output is declared not understood (default 20). */
  readonly garbageLimit?: number;
  readonly clock?: Clock;
  readonly onSample?: (sample: GpuSample) => void;
  /** Every raw line as printed, header included (`gpu record` writes these to its trace file). */
  readonly onLine?: (line: string) => void;
}

const DEVICE_ERROR_GRACE_MS = 250;
const PROC_CPU_EVERY_MS = 1000;
/** nvidia-smi prints within milliseconds of its stamp; more than this is a zone or clock mismatch. */
const STAMP_ALIGN_BEYOND_MS = 5000;

type StreamChild = ChildProcessByStdio<null, Readable, Readable>;

/** Resolves once nvidia-smi runs or was found unusable: it never rejects. */
export async function startNvidiaSmiSampler(options: NvidiaSmiSamplerOptions = {}): Promise<Sampler> {
  const command = options.command ?? 'nvidia-smi';
  const intervalMs = options.intervalMs ?? 100;
  const helpTimeoutMs = options.helpTimeoutMs ?? 5000;
  const help = await runCommand(command, ['--help-query-gpu'], { env: options.env, timeoutMs: helpTimeoutMs });
  if (help.kind !== 'exited') return absentSampler(describeFailure(command, help, helpTimeoutMs), intervalMs);
  // A driver that cannot print its field list is asked for ours; its answer will say what is wrong.
  const selection =
    help.code === 0
      ? selectSupportedFields(help.stdout, options.fields ?? DEFAULT_GPU_QUERY_FIELDS)
      : { fields: options.fields ?? DEFAULT_GPU_QUERY_FIELDS, dropped: [], renamed: [] };
  return new NvidiaSmiStream(command, intervalMs, selection, options);
}

function absentSampler(reason: string, intervalMs: number): Sampler {
  const result: SamplerResult = {
    source: 'nvidia-smi',
    status: 'absent',
    reason,
    samples: [],
    fields: null,
    intervalMs,
    lines: { total: 0, samples: 0, garbage: 0, deviceErrors: 0 },
    parseMs: 0,
    samplerCpuMs: null,
    samplerPid: null,
    stampCorrectionMs: 0,
  };
  return { source: 'nvidia-smi', pid: null, samples: () => [], ready: Promise.resolve(false), stop: () => Promise.resolve(result) };
}

class NvidiaSmiStream implements Sampler {
  readonly source = 'nvidia-smi' as const;
  readonly pid: number | null;
  readonly ready: Promise<boolean>;
  private readonly child: StreamChild;
  private readonly ingest: SampleIngest;
  private readonly clock: Clock;
  private readonly startedAtMs: number;
  private lastLineAtMs: number;
  private stderrTail = '';
  /** Why sampling ended before stop(); the first cause wins. */
  private failure: string | null = null;
  private exited = false;
  private stopping = false;
  private samplerCpuMs: number | null = null;
  private cpuReadAtMs = 0;
  private readonly watchdog: NodeJS.Timeout;
  private readonly exitedPromise: Promise<void>;
  private resolveReady: (value: boolean) => void = () => undefined;
  private result: Promise<SamplerResult> | null = null;

  constructor(
    private readonly command: string,
    private readonly intervalMs: number,
    private readonly selection: FieldSelection,
    private readonly options: NvidiaSmiSamplerOptions,
  ) {
    this.clock = options.clock ?? epochNowMs;
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.ingest = new SampleIngest(
      { fields: selection.fields, timeZone: options.timeZone ?? { kind: 'local' } },
      null,
      (sample) => {
        if (this.ingest.samples.length === 1) this.resolveReady(true);
        options.onSample?.(sample);
      },
      STAMP_ALIGN_BEYOND_MS,
    );
    const args = [`--query-gpu=${selection.fields.join(',')}`, '--format=csv,nounits', `-lms`, String(Math.max(1, Math.round(intervalMs)))];
    this.child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(this.child);
    this.pid = this.child.pid ?? null;
    this.startedAtMs = this.clock();
    this.lastLineAtMs = this.startedAtMs;
    this.exitedPromise = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.child.once('error', (error: NodeJS.ErrnoException) => {
      this.exited = true;
      this.fail(error.code === 'ENOENT' ? `${command} not found on PATH` : `${command} could not be started: ${error.message}`);
    });
    this.child.once('exit', () => (this.exited = true));
    // 'close' comes after stdout has ended, so every line (e.g. "No devices were found") is parsed.
    this.child.once('close', (code, signal) => this.onExit(code, signal));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    this.watchdog = setInterval(() => this.checkProgress(), Math.max(50, Math.min(500, intervalMs * 2)));
    this.watchdog.unref();
  }

  samples(): readonly GpuSample[] {
    return this.ingest.samples;
  }

  stop(): Promise<SamplerResult> {
    this.result ??= this.finish();
    return this.result;
  }

  private onLine(line: string): void {
    const now = this.clock();
    this.lastLineAtMs = now;
    this.options.onLine?.(line);
    this.ingest.ingest(line, now);
    const counts = this.ingest.counts();
    if (this.ingest.firstDeviceError !== null && counts.deviceErrors === 1) {
      // A device error ("GPU is lost") ends useful sampling even if the process lingers; give it a
      // moment to exit by itself first, so the reason can carry its exit code.
      const message = `${this.command} reported: ${this.ingest.firstDeviceError}`;
      setTimeout(() => this.fail(message), DEVICE_ERROR_GRACE_MS).unref();
    } else if (counts.samples === 0 && counts.garbage >= (this.options.garbageLimit ?? 20)) {
      const first = this.ingest.firstGarbage!;
      this.fail(`${this.command} output not understood: '${first.line}' (${first.why})`);
    }
  }

  private checkProgress(): void {
    if (this.exited || this.stopping || this.failure !== null) return;
    const now = this.clock();
    if (this.pid !== null && now - this.cpuReadAtMs >= PROC_CPU_EVERY_MS) {
      // Kept current so the cost is known even if nvidia-smi dies before stop().
      this.cpuReadAtMs = now;
      void readProcessCpuMs(this.pid).then((cpuMs) => (this.samplerCpuMs = cpuMs ?? this.samplerCpuMs));
    }
    const samples = this.ingest.samples.length;
    const startupTimeoutMs = this.options.startupTimeoutMs ?? 10_000;
    const stallTimeoutMs = this.options.stallTimeoutMs ?? Math.max(3000, 30 * this.intervalMs);
    if (samples === 0 && now - this.startedAtMs > startupTimeoutMs) {
      this.fail(`${this.command} printed no sample within ${(startupTimeoutMs / 1000).toFixed(1)} s of starting (killed)`);
    } else if (samples > 0 && now - this.lastLineAtMs > stallTimeoutMs) {
      this.fail(`${this.command} stopped printing for ${(stallTimeoutMs / 1000).toFixed(1)} s after ${samples} samples (hung; killed)`);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    if (this.stopping || this.failure !== null) return;
    const said = this.ingest.firstDeviceError ?? lastMeaningfulLine(this.stderrTail) ?? this.ingest.firstGarbage?.line ?? null;
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    const after = this.ingest.samples.length > 0 ? ` after ${this.ingest.samples.length} samples` : '';
    this.fail(`${this.command} ${how}${after}${said === null ? '' : `: ${said}`}`);
  }

  /** Record why sampling ended and make sure the process goes. */
  private fail(reason: string): void {
    if (this.failure !== null || this.stopping) return;
    this.failure = reason;
    this.resolveReady(false);
    void terminateChild(this.child, this.options.stopGraceMs ?? 1000);
  }

  private async finish(): Promise<SamplerResult> {
    this.stopping = true;
    clearInterval(this.watchdog);
    if (!this.exited && this.pid !== null) this.samplerCpuMs = (await readProcessCpuMs(this.pid)) ?? this.samplerCpuMs;
    await terminateChild(this.child, this.options.stopGraceMs ?? 1000);
    if (this.pid !== null) await this.exitedPromise;
    this.resolveReady(this.ingest.samples.length > 0);
    const counts = this.ingest.counts();
    const reason = this.ingest.withUnreported(
      this.failure ?? this.ingest.garbageNote() ?? (counts.samples === 0 ? `${this.command} printed no sample before the run ended` : null),
    );
    const status: TelemetryStatus = reason === null ? 'ok' : counts.samples > 0 ? 'partial' : 'absent';
    return {
      source: 'nvidia-smi',
      status,
      reason,
      samples: this.ingest.samples,
      fields: this.selection,
      intervalMs: this.intervalMs,
      lines: counts,
      parseMs: this.ingest.parseMs,
      samplerCpuMs: this.samplerCpuMs,
      samplerPid: this.pid,
      stampCorrectionMs: this.ingest.stampCorrectionMs,
    };
  }
}
