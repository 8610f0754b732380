/**
 * --out-jsonl: one JSON line per closed window while the run goes, between a `run-start` line and
 * a `run-end` line (the files written and the verdict). Each line is appended with a synchronous
 * write as its event arrives, so a crash keeps every line so far; one small write a second does
 * not disturb the measurement.
 */
import { writeSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../../errors.js';
import { epochNowMs, type Clock } from '../../core/clock.js';
import type { RunEvent, RunListener } from '../../runner/events.js';
import type { HostSample } from '../../core/report/telemetry.js';
import { liveWindowOf, type LiveWindow } from './live-state.js';

const FLAG = '--out-jsonl';

export type JsonlRecord =
  | {
      readonly type: 'run-start';
      readonly runId: string;
      readonly tMs: number;
      readonly outDir: string;
      readonly backend: string;
      /** Planned steps (one repeat); a search measures at most these. */
      readonly steps: number;
      readonly repeat: number;
      readonly search: boolean;
      /** Scenario runs: the load stages in order; null for sweeps. */
      readonly profile:
        readonly { readonly name: string; readonly fromLevel: number; readonly toLevel: number; readonly durationMs: number }[] | null;
    }
  | ({
      readonly type: 'window';
      readonly runId: string | null;
      /** The window's end (epoch ms). */
      readonly tMs: number;
      readonly stepIndex: number;
      readonly stage: string;
      readonly batchSize: number;
      /** The scenario's load stage ("spike-up"); null for sweeps. */
      readonly profile: string | null;
      readonly gpuUtilPct: number | null;
      readonly host: HostSample | null;
    } & LiveWindow)
  | {
      readonly type: 'run-end';
      readonly runId: string;
      readonly tMs: number;
      readonly partial: boolean;
      readonly interruptedBy: 'SIGINT' | 'SIGTERM' | null;
      readonly budgetMet: boolean;
      /** Scenario runs: the scenario's verdict in short; null for sweeps. */
      readonly verdict: { readonly kind: string; readonly passed: boolean; readonly summary: string } | null;
      readonly files: readonly string[];
    };

/** The line an event becomes, if any (pure). `runId`: the run's, from its run-start. */
export function jsonlRecord(event: RunEvent, runId: string | null, nowMs: number): JsonlRecord | null {
  switch (event.kind) {
    case 'run-start': {
      const stages = event.steps.flatMap((step) => (step.profile ? [step.profile] : []));
      return {
        type: 'run-start',
        runId: event.runId,
        tMs: nowMs,
        outDir: event.outDir,
        backend: event.backend,
        steps: event.steps.length,
        repeat: event.repeat,
        search: event.search,
        profile:
          stages.length === 0 ? null : stages.map(({ name, fromLevel, toLevel, durationMs }) => ({ name, fromLevel, toLevel, durationMs })),
      };
    }
    case 'window': {
      const { step } = event;
      return {
        type: 'window',
        runId,
        tMs: event.window.endMs,
        stepIndex: step.index,
        stage: step.stage,
        batchSize: step.batchSize,
        profile: step.profile?.name ?? null,
        ...liveWindowOf(event),
        gpuUtilPct: event.gpuUtilPct,
        host: event.host,
      };
    }
    case 'run-end': {
      const r = event.report;
      const verdict =
        r.scenario === null
          ? null
          : { kind: r.scenario.verdict.kind, passed: r.scenario.verdict.passed, summary: r.scenario.verdict.summary };
      return {
        type: 'run-end',
        runId: r.runId,
        tMs: nowMs,
        partial: r.partial,
        interruptedBy: r.interruptedBy,
        budgetMet: r.budgetMet,
        verdict,
        files: event.files,
      };
    }
    case 'step-start':
    case 'tick':
    case 'step-end':
    case 'warning':
    case 'note':
      return null;
  }
}

export interface JsonlStream {
  readonly listener: RunListener;
  /** Why lines stopped being written (a write failed mid-run, e.g. the disk filled); null while fine. */
  problem(): string | null;
  close(): Promise<void>;
}

/** Appends to `path` (its folder is created). An unwritable path is an InputError naming --out-jsonl. */
export async function openJsonlStream(path: string, options: { readonly clock?: Clock } = {}): Promise<JsonlStream> {
  const clock = options.clock ?? epochNowMs;
  let file: FileHandle;
  try {
    await mkdir(dirname(path), { recursive: true });
    file = await open(path, 'a');
  } catch (error) {
    throw new InputError(FLAG, `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  let runId: string | null = null;
  let problem: string | null = null;
  let closed: Promise<void> | null = null;
  return {
    listener: (event) => {
      if (event.kind === 'run-start') runId = event.runId;
      const record = closed === null && problem === null ? jsonlRecord(event, runId, clock()) : null;
      if (record === null) return;
      try {
        writeSync(file.fd, `${JSON.stringify(record)}\n`);
      } catch (error) {
        // The run goes on without the stream; the caller reports it.
        problem = `${FLAG}: writing ${path} failed at the ${record.type} line of ${record.tMs}; no lines from there on: ${(error as Error).message}`;
      }
    },
    problem: () => problem,
    close() {
      closed ??= file.close();
      return closed;
    },
  };
}
