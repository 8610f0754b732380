import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { openJsonlStream, type JsonlRecord } from '../../../src/cli/live/jsonl-stream.js';
import type { RunEvent } from '../../../src/runner/events.js';
import type { RunReport } from '../../../src/core/report/run.js';
import type { ScenarioReport } from '../../../src/core/report/scenario.js';
import { HOLD, SPIKE, spikeRunEvents, T0 } from './live-events.js';

const DIST_STREAM = join(import.meta.dirname, '..', '..', '..', 'dist', 'cli', 'live', 'jsonl-stream.js');

function tempPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'pipebench-jsonl-')), name);
}

function readLines(path: string): JsonlRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonlRecord);
}

function spikeScenario(): ScenarioReport {
  return {
    kind: 'spike',
    axis: 'concurrency',
    stage: 'classify',
    batchSize: 8,
    timeScale: 1,
    loadScale: 1,
    windowMs: 1000,
    stages: [
      { name: 'hold', durationMs: 2000, target: 50 },
      { name: 'spike-up', durationMs: 120_000, target: 500 },
    ],
    startedAtMs: T0,
    stagesRun: 2,
    stoppedEarly: null,
    timeline: [],
    verdict: {
      kind: 'spike',
      passed: false,
      summary: 'p95 never came back within 10 % of 30 ms',
      preSpikeP95Ms: 30,
      spikeWorstP95Ms: 400,
      spikeErrorRate: 0.02,
      spikeStartAtMs: 2000,
      spikeEndAtMs: 4000,
      recoveryMs: null,
      recoveryTargetMs: 30_000,
    },
  };
}

describe('openJsonlStream', () => {
  it('a run-start line, one line per window as it closes, a run-end line with files and verdict', async () => {
    const path = tempPath('live.jsonl');
    let now = 0;
    const stream = await openJsonlStream(path, { clock: () => now });
    const events = spikeRunEvents();
    const firstWindow = events.findIndex((e) => e.event.kind === 'window');
    for (const [i, e] of events.entries()) {
      now = e.atMs;
      const event: RunEvent =
        e.event.kind === 'run-end' ? { ...e.event, report: { ...e.event.report, scenario: spikeScenario() } as RunReport } : e.event;
      stream.listener(event);
      // On disk as soon as written, before close.
      if (i === firstWindow) expect(readLines(path).map((r) => r.type)).toEqual(['run-start', 'window']);
    }
    await stream.close();
    const records = readLines(path);
    expect(records.map((r) => r.type)).toEqual(['run-start', 'window', 'window', 'window', 'window', 'window', 'window', 'run-end']);
    expect(records[0]).toEqual({
      type: 'run-start',
      runId: '2026-01-01T00-00-00Z-spike',
      tMs: T0 - 500,
      outDir: '/out/run',
      backend: 'wasm',
      steps: 2,
      repeat: 1,
      search: false,
      profile: [
        { name: 'hold', fromLevel: 50, toLevel: 50, durationMs: 2000 },
        { name: 'spike-up', fromLevel: 50, toLevel: 500, durationMs: 120_000 },
      ],
    });
    const spikeWindow = records[5]!;
    expect(spikeWindow).toMatchObject({
      type: 'window',
      runId: '2026-01-01T00-00-00Z-spike',
      stepIndex: SPIKE.index,
      stage: 'classify',
      batchSize: 8,
      profile: 'spike-up',
      level: 62,
      completed: 196,
      errors: 4,
      itemsPerSec: 196,
      gpuUtilPct: 97,
      host: { rssBytes: 400 * 1024 * 1024, eventLoopDelayP99Ms: 12.5 },
    });
    expect(spikeWindow.type === 'window' && spikeWindow.tMs - spikeWindow.startMs).toBe(1000);
    expect(
      spikeWindow.type === 'window' && [spikeWindow.p50Ms, spikeWindow.p95Ms, spikeWindow.p99Ms].map((ms) => Math.round(ms ?? NaN)),
    ).toEqual([200, 400, 400]);
    expect(records[1]).toMatchObject({ stepIndex: HOLD.index, profile: 'hold', level: 50 });
    expect(records.at(-1)).toEqual({
      type: 'run-end',
      runId: '2026-01-01T00-00-00Z-spike',
      tMs: T0 + 4100,
      partial: false,
      interruptedBy: null,
      budgetMet: true,
      verdict: { kind: 'spike', passed: false, summary: 'p95 never came back within 10 % of 30 ms' },
      files: ['/out/run/report.json', '/out/run/report.md'],
    });
    expect(stream.problem()).toBeNull();
  });

  it('a sweep: no profile, no verdict; appends after what the file held', async () => {
    const path = tempPath('sweep.jsonl');
    writeFileSync(path, '{"type":"earlier"}\n');
    const stream = await openJsonlStream(path);
    const sweepStep = { ...HOLD, profile: undefined };
    const events = spikeRunEvents().map((e) => e.event);
    stream.listener({ kind: 'run-start', runId: 'sweep', outDir: '/o', steps: [sweepStep], backend: 'cpu', repeat: 1, search: false });
    const window = events.find((e) => e.kind === 'window')!;
    stream.listener({ ...window, step: sweepStep } as RunEvent);
    stream.listener(events.at(-1)!);
    await stream.close();
    stream.listener(window); // after close: nothing, no throw
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('{"type":"earlier"}');
    const records = lines.slice(1).map((line) => JSON.parse(line) as JsonlRecord);
    expect(records.map((r) => r.type)).toEqual(['run-start', 'window', 'run-end']);
    expect(records[0]).toMatchObject({ profile: null });
    expect(records[1]).toMatchObject({ runId: 'sweep', profile: null });
    expect(records[2]).toMatchObject({ verdict: null, budgetMet: true });
  });

  it('creates the folder; an unwritable path is an InputError naming --out-jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-jsonl-'));
    const nested = await openJsonlStream(join(dir, 'a', 'b', 'live.jsonl'));
    await nested.close();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await expect(openJsonlStream(join(file, 'live.jsonl'))).rejects.toBeInstanceOf(InputError);
    await expect(openJsonlStream(join(file, 'live.jsonl'))).rejects.toMatchObject({ where: '--out-jsonl' });
    await expect(openJsonlStream(dir)).rejects.toThrow(/^--out-jsonl: cannot write .*EISDIR/);
  });

  it.runIf(process.platform === 'linux')('a write that fails (a full disk: /dev/full) stops the stream, not the run', async () => {
    const stream = await openJsonlStream('/dev/full', { clock: () => 42 });
    const events = spikeRunEvents().map((e) => e.event);
    expect(() => events.forEach((event) => stream.listener(event))).not.toThrow();
    expect(stream.problem()).toMatch(
      /^--out-jsonl: writing \/dev\/full failed at the run-start line of 42; no lines from there on: ENOSPC/,
    );
    await stream.close();
  });

  it('a process killed mid-run leaves every line written before the kill', () => {
    const path = tempPath('killed.jsonl');
    const script = `
      const { openJsonlStream } = await import(${JSON.stringify(DIST_STREAM)});
      const stream = await openJsonlStream(${JSON.stringify(path)});
      const step = { index: 0, stage: 'classify', batchSize: 1 };
      stream.listener({ kind: 'run-start', runId: 'killed', outDir: '/o', steps: [step], backend: 'cpu', repeat: 1, search: false });
      for (let i = 0; i < 3; i++) {
        const window = { startMs: i * 1000, endMs: (i + 1) * 1000, completed: 10, errors: 0, e2eP95Ms: 5 };
        stream.listener({ kind: 'window', step, window, level: 4, gpuUtilPct: null, gpuPowerW: null, host: null });
      }
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal).toBe('SIGKILL');
    const records = readLines(path);
    expect(records.map((r) => r.type)).toEqual(['run-start', 'window', 'window', 'window']);
    expect(records[3]).toMatchObject({ runId: 'killed', tMs: 3000, p50Ms: null, p95Ms: 5, itemsPerSec: 10 });
  });
});
