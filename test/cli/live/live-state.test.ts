import { describe, expect, it } from 'vitest';
import { initialLiveState, reduceLiveState, stepElapsedMs, type LiveState } from '../../../src/cli/live/live-state.js';
import type { RunEvent } from '../../../src/runner/events.js';
import { SPIKE, spikeRunEvents, T0 } from './live-events.js';

const fold = (events: readonly { atMs: number; event: RunEvent }[], from: LiveState = initialLiveState(T0)): LiveState =>
  events.reduce((state, e) => reduceLiveState(state, e.event, e.atMs), from);

describe('reduceLiveState', () => {
  it('empty: nothing known', () => {
    const state = initialLiveState(T0);
    expect(state).toMatchObject({ runId: null, step: null, window: null, itemsTotal: 0, errorsTotal: 0, windows: 0 });
    expect(stepElapsedMs(state)).toBeNull();
  });

  it('a whole run: totals are the sums of its windows, the last window and readings kept', () => {
    const state = fold(spikeRunEvents());
    expect(state).toMatchObject({
      runId: '2026-01-01T00-00-00Z-spike',
      plannedSteps: 2,
      stepNo: 2,
      windows: 6,
      itemsTotal: 592,
      errorsTotal: 8,
      gpuUtilPct: 97,
      finished: true,
    });
    expect(state.step).toBe(SPIKE);
    expect(state.window).toMatchObject({ completed: 19, errors: 1, level: 63 });
  });

  it('a scenario window for the next load stage, before any step-start for it, moves the view on', () => {
    const events = spikeRunEvents().filter((e) => !(e.event.kind === 'step-start' && e.event.step === SPIKE));
    const firstSpikeWindow = events.findIndex((e) => e.event.kind === 'window' && e.event.step === SPIKE);
    const state = fold(events.slice(0, firstSpikeWindow + 1));
    expect(state.step).toBe(SPIKE);
    expect(state.stepNo).toBe(1);
    // The stage counts from the start of its first window, up to that window's end.
    expect(stepElapsedMs(state)).toBe(1000);
  });

  it('a window without a host sample keeps the last one; a new run-start starts over', () => {
    const events = spikeRunEvents();
    const window = events.find((e) => e.event.kind === 'window')!;
    const withHost = fold(events.slice(0, 3));
    const hostless = reduceLiveState(withHost, { ...window.event, host: null } as RunEvent, window.atMs + 1000);
    expect(hostless.host).toEqual(withHost.host);
    const again = reduceLiveState(hostless, events[0]!.event, T0 + 10_000);
    expect(again).toMatchObject({ itemsTotal: 0, windows: 0, step: null, host: null, runStartedAtMs: T0 + 10_000 });
  });
});
