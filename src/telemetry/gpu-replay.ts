/**
 * Replays a recorded `--query-gpu` CSV as if nvidia-smi were printing it now (`--gpu-trace`): each
 * line is fed through the live sampler's ingest at its recorded pace (divided by `speed`), and its
 * timestamp is re-based onto the run's clock, so per-step attribution works unchanged.
 */
import { readFile } from 'node:fs/promises';
import { epochNowMs, type Clock } from '../core/clock.js';
import { InputError } from '../errors.js';
import { parseStamp } from './gpu-csv.js';
import { parseGpuTrace } from './gpu-trace.js';
import { SampleIngest } from './sample-ingest.js';
import type { GpuSample, Sampler, SamplerResult, TimeZoneRule } from './types.js';

export interface ReplaySamplerOptions {
  /** 2 = twice as fast as recorded (default 1). */
  readonly speed?: number;
  /** How the trace's zone-less stamps are read (default: the host's local zone). */
  readonly timeZone?: TimeZoneRule;
  readonly clock?: Clock;
  readonly onSample?: (sample: GpuSample) => void;
  /** Flag name for errors (default `--gpu-trace`). */
  readonly where?: string;
}

const LOCAL: TimeZoneRule = { kind: 'local' };

interface TimedLine {
  readonly line: string;
  /** ms after the trace's first stamp. */
  readonly offsetMs: number;
}

/** A recorded trace, read and checked before the run starts (a bad --gpu-trace must not cost a model load). */
export interface ReplayTrace {
  readonly path: string;
  readonly text: string;
}

/** Throws InputError naming `where` when the trace cannot be read, has no timestamps to pace it by, or no sample. */
export async function readReplayTrace(tracePath: string, where = '--gpu-trace'): Promise<ReplayTrace> {
  let text: string;
  try {
    text = await readFile(tracePath, 'utf8');
  } catch (error) {
    throw new InputError(where, `cannot read GPU trace ${tracePath}: ${(error as Error).message}`, { cause: error });
  }
  // Which zone the stamps are read in moves them, but never makes one appear or vanish.
  if (paceLines(text, LOCAL) === null) throw noStamps(where, tracePath);
  const parsed = parseGpuTrace(text, LOCAL);
  if (parsed.samples.length === 0) {
    const first = parsed.firstGarbage === null ? '' : `; first unreadable line: ${parsed.firstGarbage}`;
    throw new InputError(where, `${tracePath} holds no nvidia-smi sample to replay${first}`);
  }
  return { path: tracePath, text };
}

export function startReplaySampler(trace: ReplayTrace, options: ReplaySamplerOptions = {}): Sampler {
  const where = options.where ?? '--gpu-trace';
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new InputError(where, `replay speed must be above 0, got ${speed}`);
  const timeZone = options.timeZone ?? { kind: 'local' };
  const timed = paceLines(trace.text, timeZone);
  if (timed === null) throw noStamps(where, trace.path);
  return new ReplaySampler(timed.lines, timed.firstStampMs, speed, timeZone, options);
}

function noStamps(where: string, tracePath: string): InputError {
  return new InputError(where, `${tracePath} has no timestamp column to replay by (record with --query-gpu=timestamp,...)`);
}

/** Every line with the offset of the last stamp seen (header and odd lines ride with their neighbours). */
function paceLines(text: string, timeZone: TimeZoneRule): { lines: TimedLine[]; firstStampMs: number } | null {
  let firstStampMs: number | null = null;
  let lastOffsetMs = 0;
  const lines: TimedLine[] = [];
  for (const line of text.split('\n')) {
    const stampMs = parseStamp(line.slice(0, line.indexOf(',')).trim(), timeZone);
    if (stampMs !== null) {
      firstStampMs ??= stampMs;
      lastOffsetMs = Math.max(lastOffsetMs, stampMs - firstStampMs);
    }
    lines.push({ line, offsetMs: lastOffsetMs });
  }
  return firstStampMs === null ? null : { lines, firstStampMs };
}

class ReplaySampler implements Sampler {
  readonly source = 'replay' as const;
  readonly pid = null;
  readonly ready: Promise<boolean>;
  private readonly ingest: SampleIngest;
  private readonly clock: Clock;
  private readonly startedAtMs: number;
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private endedAtMs: number | null = null;
  private result: SamplerResult | null = null;
  private readonly intervalMs: number;

  constructor(
    private readonly lines: readonly TimedLine[],
    firstStampMs: number,
    private readonly speed: number,
    timeZone: TimeZoneRule,
    options: ReplaySamplerOptions,
  ) {
    this.clock = options.clock ?? epochNowMs;
    this.startedAtMs = this.clock();
    const rebase = (tMs: number): number => this.startedAtMs + (tMs - firstStampMs) / speed;
    this.ingest = new SampleIngest({ timeZone }, rebase, options.onSample ?? null);
    this.intervalMs = recordedIntervalMs(lines);
    this.ready = new Promise((resolve) => {
      this.tick();
      resolve(this.ingest.samples.length > 0);
    });
  }

  samples(): readonly GpuSample[] {
    // A reader (a step's GPU summary) sees every line due by now, even when a busy machine has
    // held the timer back: the samples carry their recorded times, so they still land in the step.
    if (this.result === null) this.feedDue();
    return this.ingest.samples;
  }

  /** Feed every line that is due, then sleep until the next one is. */
  private tick(): void {
    this.timer = null;
    const elapsedMs = this.feedDue();
    if (this.next >= this.lines.length) return; // feedDue noted when the trace ended
    const waitMs = (this.lines[this.next]!.offsetMs - elapsedMs) / this.speed;
    this.timer = setTimeout(() => this.tick(), Math.max(1, waitMs));
    this.timer.unref();
  }

  /** Ingests the lines due by now; returns the trace time elapsed. */
  private feedDue(): number {
    const now = this.clock();
    const elapsedMs = (now - this.startedAtMs) * this.speed;
    while (this.next < this.lines.length && this.lines[this.next]!.offsetMs <= elapsedMs) {
      this.ingest.ingest(this.lines[this.next]!.line, now);
      this.next += 1;
    }
    if (this.next >= this.lines.length) this.endedAtMs ??= now;
    return elapsedMs;
  }

  stop(): Promise<SamplerResult> {
    if (this.result === null) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      const counts = this.ingest.counts();
      const ended =
        this.endedAtMs === null
          ? null
          : `the replayed trace ended ${((this.endedAtMs - this.startedAtMs) / 1000).toFixed(1)} s into the run`;
      const reason =
        counts.samples === 0 ? 'the replayed trace held no GPU sample' : this.ingest.withUnreported(ended ?? this.ingest.garbageNote());
      this.result = {
        source: 'replay',
        status: counts.samples === 0 ? 'absent' : reason === null ? 'ok' : 'partial',
        reason,
        samples: this.ingest.samples,
        fields: null,
        intervalMs: this.intervalMs / this.speed,
        lines: counts,
        parseMs: this.ingest.parseMs,
        samplerCpuMs: null,
        samplerPid: null,
        stampCorrectionMs: 0,
      };
    }
    return Promise.resolve(this.result);
  }
}

function recordedIntervalMs(lines: readonly TimedLine[]): number {
  const offsets = [...new Set(lines.map((l) => l.offsetMs))];
  if (offsets.length < 2) return 0;
  return offsets.at(-1)! / (offsets.length - 1);
}
