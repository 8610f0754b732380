import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { LiveScreen, renderLiveView } from '../../src/cli/live-view.js';
import { progressListener } from '../../src/cli/progress.js';
import { durationText, stepLabel } from '../../src/cli/step-label.js';
import { initialLiveState, reduceLiveState, type LiveState } from '../../src/cli/live/live-state.js';
import { HOLD, SPIKE, spikeRunEvents, T0, type TimedEvent } from './live/live-events.js';

/** Fold the events up to (not including) the first that `stop` picks. */
function stateUntil(events: readonly TimedEvent[], stop: (e: TimedEvent, i: number) => boolean): LiveState {
  let state = initialLiveState(T0);
  for (const [i, e] of events.entries()) {
    if (stop(e, i)) break;
    state = reduceLiveState(state, e.event, e.atMs);
  }
  return state;
}

/** Just enough of a terminal for our escapes: "\n", "\r", CSI n A (up) and CSI J (clear below). */
function terminalScreen(output: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  for (let i = 0; i < output.length; i++) {
    const ch = output[i]!;
    if (ch === '\x1b') {
      const match = /^\[(\d*)([A-Za-z])/.exec(output.slice(i + 1));
      if (!match) throw new Error(`unknown escape at ${i}`);
      if (match[2] === 'A') row = Math.max(0, row - Number(match[1] || 1));
      else if (match[2] === 'J') {
        rows.splice(row + 1);
        rows[row] = '';
      } else throw new Error(`unexpected escape ${match[0]}`);
      i += match[0].length;
    } else if (ch === '\n') {
      row++;
      rows[row] ??= '';
    } else if (ch !== '\r') {
      rows[row] += ch;
    }
  }
  return rows.at(-1) === '' ? rows.slice(0, -1) : rows;
}

function ttyIo(columns?: number): { io: CliIo; output: () => string } {
  const chunks: string[] = [];
  const stderr = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  Object.assign(stderr, { isTTY: true, ...(columns !== undefined && { columns }) });
  const stdout = { write: () => true };
  return { io: { stdout, stderr, env: {}, cwd: '/' }, output: () => chunks.join('') };
}

function plainIo(): { io: CliIo; lines: string[] } {
  const lines: string[] = [];
  return { io: { stdout: { write: () => true }, stderr: { write: (s: string) => lines.push(s) }, env: {}, cwd: '/' }, lines };
}

describe('renderLiveView', () => {
  const events = spikeRunEvents();

  it('before any window: the step so far, no percentiles of a window', () => {
    const state = stateUntil(events, (e) => e.event.kind === 'window');
    expect(renderLiveView(state)).toEqual([
      'pipebench run 2026-01-01T00-00-00Z-spike  elapsed 0 s',
      'step 1/2  hold 50 in flight, 0 s / 2 s (classify batch 8)',
      'load 50 in flight  |  no window yet (step so far: 0 items, p95 -)',
      'errors 0 total, - in the last window  |  items 0',
      'gpu -  |  host -',
    ]);
  });

  it('mid-spike: the scenario stage with its progress, last window, totals, GPU and host', () => {
    const lastSpikeWindow = events.findLastIndex((e) => e.event.kind === 'window');
    const state = stateUntil(events, (_e, i) => i === lastSpikeWindow);
    const lines = renderLiveView(state);
    expect(lines[0]).toBe('pipebench run 2026-01-01T00-00-00Z-spike  elapsed 4 s'); // run-start came 0.5 s before the first stage
    expect(lines[1]).toBe('step 2/2  spike-up 50->500 in flight, 1 s / 120 s (classify batch 8)');
    expect(lines[2]).toBe('load 62 in flight  |  last window: p50 200 ms  p95 400 ms  p99 400 ms  196 items/s');
    // 200 hold items, then 177 + 196 spike items; 3 + 4 of those failed.
    expect(lines[3]).toBe('errors 7 total, 4 in the last window  |  items 573');
    expect(lines[4]).toBe('gpu 97 %  |  host cpu 85 % (machine 40 %)  rss 400.0 MiB  heap 64.0 MiB  event loop p99 12.5 ms');
  });

  it('sweep steps keep their label; a search says "at most"; repeats are named', () => {
    const sweepStep = { ...HOLD, profile: undefined, concurrency: 16 };
    let state = reduceLiveState(
      initialLiveState(T0),
      { kind: 'run-start', runId: 'r', outDir: '/o', steps: [sweepStep], backend: 'cpu', repeat: 1, search: true },
      T0,
    );
    state = reduceLiveState(state, { kind: 'step-start', step: sweepStep, of: 1, repeat: 2 }, T0 + 1000);
    state = reduceLiveState(state, { kind: 'tick', step: sweepStep, elapsedMs: 1500, completed: 42, errors: 1, p95Ms: 7.25 }, T0 + 2500);
    expect(renderLiveView(state).slice(1, 3)).toEqual([
      'step 1/<=1  classify batch 8 x16 in flight, 1 s (repeat 2)',
      'load 16 in flight  |  no window yet (step so far: 42 items, p95 7.3 ms)',
    ]);
  });

  it('cuts lines to the terminal width so each takes one row', () => {
    const state = stateUntil(events, (e) => e.event.kind === 'run-end');
    const lines = renderLiveView(state, { columns: 40 });
    expect(lines.every((line) => line.length <= 39)).toBe(true);
    expect(lines[4]).toBe('gpu 97 %  |  host cpu 85 % (machine 40…');
  });
});

describe('stepLabel and durationText', () => {
  it('scenario stages: ramps show from->to, holds one level, open loop in req/s', () => {
    expect(stepLabel(SPIKE)).toBe('spike-up 50->500 in flight');
    expect(stepLabel(SPIKE, 12_400)).toBe('spike-up 50->500 in flight, 12 s / 120 s');
    const openHold = { ...HOLD, concurrency: null, arrivals: { process: 'poisson' as const, ratePerSec: 50, maxInFlight: null } };
    expect(stepLabel(openHold, 0)).toBe('hold 50 req/s, 0 s / 2 s');
    expect(stepLabel({ ...HOLD, profile: undefined })).toBe('classify batch 8 x50 in flight');
  });

  it('durations: seconds, then minutes, then hours', () => {
    expect([0, 999, 599_999, 600_000, 3_599_999, 3_600_000, 7_380_000].map(durationText)).toEqual([
      '0 s',
      '0 s',
      '599 s',
      '10 min 00 s',
      '59 min 59 s',
      '1 h 00 min',
      '2 h 03 min',
    ]);
  });
});

describe('LiveScreen', () => {
  it('redraws in place and prints permanent lines above the block', () => {
    let out = '';
    const screen = new LiveScreen({ write: (s: string) => (out += s) });
    screen.draw(['a1', 'a2']);
    screen.draw(['b1', 'b2', 'b3']);
    screen.print('kept\n', ['c1']);
    expect(terminalScreen(out)).toEqual(['kept', 'c1']);
    screen.clear();
    expect(terminalScreen(out)).toEqual(['kept']);
  });
});

describe('progressListener', () => {
  it('on a TTY (a real Writable): live block under the permanent lines, cleared at the end', () => {
    const { io, output } = ttyIo(200);
    const events = spikeRunEvents();
    let now = T0;
    const listen = progressListener(io, { quiet: false, clock: () => now });
    const lastWindow = events.findLastIndex((e) => e.event.kind === 'window');
    for (const [i, e] of events.entries()) {
      now = e.atMs;
      listen(e.event);
      if (i === lastWindow) {
        const mid = terminalScreen(output());
        expect(mid.slice(0, 3)).toEqual([
          'pipebench run 2026-01-01T00-00-00Z-spike: 2 steps on wasm; writing /out/run',
          '[1/2] hold 50 in flight: 100 items/s, p95 30 ms, within budget',
          'warning: 3.0 % of sends were late',
        ]);
        expect(mid.slice(3)).toHaveLength(5);
        expect(mid[3]).toBe('pipebench run 2026-01-01T00-00-00Z-spike  elapsed 4 s');
        expect(mid[4]).toBe('step 2/2  spike-up 50->500 in flight, 1 s / 120 s (classify batch 8)'); // 1.9975 s in
      }
    }
    const screen = terminalScreen(output());
    expect(screen).toHaveLength(4);
    expect(screen[3]).toMatch(/^\[2\/2\] spike-up 50->500 in flight: .* items\/s, p95 400 ms, over budget, 8 errors$/);
    expect(output()).toContain('\x1b[5A\r\x1b[J');
  });

  it('not a TTY: the plain lines only, no escapes, nothing for windows', () => {
    const { io, lines } = plainIo();
    const listen = progressListener(io, { quiet: false });
    for (const e of spikeRunEvents()) listen(e.event);
    expect(lines).toEqual([
      'pipebench run 2026-01-01T00-00-00Z-spike: 2 steps on wasm; writing /out/run\n',
      '[1/2] hold 50 in flight: 100 items/s, p95 30 ms, within budget\n',
      'warning: 3.0 % of sends were late\n',
      expect.stringMatching(/^\[2\/2\] spike-up 50->500 in flight: .*, 8 errors\n$/),
    ]);
  });

  it('--quiet, even on a TTY: warnings only', () => {
    const { io, output } = ttyIo();
    const listen = progressListener(io, { quiet: true });
    for (const e of spikeRunEvents()) listen(e.event);
    expect(output()).toBe('warning: 3.0 % of sends were late\n');
  });
});
