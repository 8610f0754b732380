import { describe, expect, it } from 'vitest';
import { ABORT_DRAIN_GRACE_MS } from '../../src/load/step-phases.js';
import { epochNowMs } from '../../src/core/clock.js';
import type { RunEvent } from '../../src/runner/events.js';
import type { RunnerTarget } from '../../src/runner/types.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import type { StepContext, StepRun } from '../../src/runner/run-step.js';
import type { ItemResult } from '../../src/core/item-result.js';
import { parseCorpus, TextSource } from '../../src/workload/corpus.js';
import type { Budget, PhaseLength, Step } from '../../src/core/workload.js';
import type { ScenarioSpec, ScenarioStageSpec } from '../../src/core/scenario.js';

/**
 * Answers each item after serviceMs; beyond `capacity` in flight it answers at once with a 503
 * (a served model with a concurrency limit). Logs every send time.
 */
function serviceTarget(serviceMs: number, capacity = Infinity) {
  const state = { inFlight: 0, sends: [] as number[] };
  const target: RunnerTarget = {
    info: { kind: 'inprocess', description: 'service-time target' },
    backend: null,
    models: [],
    async configure() {},
    async close() {},
    submit(_stage, _text, tArrivalMs) {
      state.sends.push(tArrivalMs);
      if (state.inFlight >= capacity) {
        const t = epochNowMs();
        return Promise.resolve<ItemResult>({
          ok: false,
          errorClass: 'http_503',
          tArrivalMs,
          tResponseMs: t,
          queueMs: 0,
          inferenceMs: 0,
          batchSize: 1,
        });
      }
      state.inFlight++;
      return new Promise<ItemResult>((resolve) =>
        setTimeout(() => {
          state.inFlight--;
          const t = epochNowMs();
          resolve({ ok: true, tArrivalMs, tResponseMs: t, queueMs: 0, inferenceMs: t - tArrivalMs, batchSize: 1 });
        }, serviceMs),
      );
    },
  };
  return { target, state };
}

function scenarioOf(stages: ScenarioStageSpec[], overrides: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    kind: 'steady',
    stage: 'classify',
    batchSize: 1,
    stages,
    timeScale: 1,
    loadScale: 1,
    windowMs: 100,
    recoveryTargetMs: 30_000,
    stopAfterBreak: null,
    ...overrides,
  };
}

/** One Step per scenario stage, as the planner makes them; `open`: arrivals at the stage's peak rate. */
function stepsOf(scenario: ScenarioSpec, options: { open?: boolean; warmup?: PhaseLength; fromStage?: number } = {}): Step[] {
  let offsetMs = 0;
  let fromLevel = 0;
  const steps: Step[] = scenario.stages.map((stage, index) => {
    const peak = Math.max(fromLevel, stage.target);
    const step: Step = {
      index,
      stage: scenario.stage,
      mode: 'dynamic',
      batchSize: scenario.batchSize,
      concurrency: options.open ? null : peak,
      arrivals: options.open ? { process: 'constant', ratePerSec: peak, maxInFlight: null } : null,
      maxQueueDelayMs: 5,
      maxNewTokens: 8,
      warmup: options.warmup ?? {},
      measure: { durationMs: stage.durationMs, maxDurationMs: stage.durationMs + 10_000 },
      profile: { name: stage.name, stageIndex: index, fromLevel, toLevel: stage.target, durationMs: stage.durationMs, offsetMs },
    };
    offsetMs += stage.durationMs;
    fromLevel = stage.target;
    return step;
  });
  return steps.slice(options.fromStage ?? 0);
}

function contextOf(target: RunnerTarget, events: RunEvent[], extra: Partial<StepContext> = {}): StepContext {
  return {
    target,
    texts: new TextSource(parseCorpus('{"text":"a prompt"}\n', 'inline.jsonl'), { seed: 1, uniqueTexts: false }),
    seed: 1,
    clock: epochNowMs,
    telemetry: null,
    stability: null,
    emit: (event) => events.push(event),
    warn: () => undefined,
    tickMs: 100,
    drainGraceMs: 500,
    ...extra,
  };
}

const lenient: Budget = { p95Ms: 10_000, p99Ms: 10_000, maxErrorRate: 0.01 };

function collect() {
  const done: { step: Step; run: StepRun; atMs: number }[] = [];
  return { done, callbacks: { stageDone: async (step: Step, run: StepRun) => void done.push({ step, run, atMs: epochNowMs() }) } };
}

describe('runScenario', () => {
  it('closed loop: warm-up unrecorded, stages back to back with no gap, items routed by send time, a timeline with levels', async () => {
    const scenario = scenarioOf([
      { name: 'ramp-up', durationMs: 400, target: 8 },
      { name: 'hold', durationMs: 400, target: 8 },
      { name: 'ramp-down', durationMs: 200, target: 0 },
    ]);
    const { target, state } = serviceTarget(20);
    const events: RunEvent[] = [];
    const { done, callbacks } = collect();
    const outcome = await runScenario(
      scenario,
      stepsOf(scenario, { warmup: { requests: 30 } }),
      contextOf(target, events),
      lenient,
      callbacks,
    );
    expect(outcome.stoppedEarly).toBeNull();
    expect(outcome.stagesRun).toBe(3);
    expect(done.map((d) => d.step.profile?.name)).toEqual(['ramp-up', 'hold', 'ramp-down']);
    expect(done.every((d) => d.run.complete && d.run.stability === null && d.run.openLoop === null)).toBe(true);
    const start = outcome.startedAtMs;
    const recorded = done.reduce((sum, d) => sum + d.run.measurement.completed, 0);
    const driveSends = state.sends.filter((t) => t >= start);
    expect(state.sends.length - driveSends.length).toBeGreaterThanOrEqual(30); // warm-up, not recorded
    expect(recorded).toBe(driveSends.length);
    // Each stage holds exactly the items sent in its time.
    const bounds = [0, 400, 800, 1000];
    done.forEach((d, i) => {
      const sentInStage = driveSends.filter((t) => t - start >= bounds[i]! && t - start < bounds[i + 1]!).length;
      expect(d.run.measurement.completed).toBe(sentInStage);
      expect(d.run.measurement.startedAtMs - start).toBeGreaterThanOrEqual(bounds[i]!);
    });
    // No gap at the boundaries: sends keep coming across 400 ms and 800 ms (service time 20 ms).
    for (const boundary of [400, 800]) {
      const around = driveSends.filter((t) => Math.abs(t - start - boundary) < 30);
      expect(around.some((t) => t - start < boundary) && around.some((t) => t - start >= boundary)).toBe(true);
    }
    // Hold: 8 in flight for 20 ms each, ~400 items/s over 0.4 s (generous for shared cores).
    expect(done[1]!.run.measurement.completed).toBeGreaterThan(100);
    // The timeline covers the run in contiguous 100 ms windows, levels from the profile.
    const { timeline } = outcome;
    expect(timeline.length).toBeGreaterThanOrEqual(10);
    expect(timeline[0]!.startMs).toBe(start);
    for (let i = 1; i < timeline.length; i++) expect(timeline[i]!.startMs).toBe(timeline[i - 1]!.endMs);
    expect(timeline[1]!.level).toBeCloseTo(3, 6); // middle 150 ms: 8 * 150 / 400
    expect(timeline[5]!.level).toBe(8);
    expect(timeline[9]!.level).toBeCloseTo(2, 6); // middle 950 ms on the ramp down
    expect(timeline.reduce((sum, w) => sum + w.completed, 0)).toBe(recorded);
    expect(timeline[5]!.p95Ms).toBeGreaterThanOrEqual(19);
    const windowEvents = events.filter((e) => e.kind === 'window');
    expect(windowEvents.length).toBe(timeline.length);
    expect(windowEvents.map((e) => e.kind === 'window' && e.level)).toEqual(timeline.map((w) => w.level));
    expect(windowEvents.every((e) => e.kind === 'window' && e.gpuUtilPct === null && e.host === null)).toBe(true);
    expect(events.filter((e) => e.kind === 'tick').length).toBeGreaterThanOrEqual(5);
    expect(target !== undefined && state.inFlight).toBe(0);
  });

  it('open loop: the rate follows the ramp, each stage gets its own send counts', async () => {
    const scenario = scenarioOf([
      { name: 'ramp-up', durationMs: 500, target: 200 },
      { name: 'hold', durationMs: 500, target: 200 },
    ]);
    const { target, state } = serviceTarget(5);
    const { done, callbacks } = collect();
    const outcome = await runScenario(scenario, stepsOf(scenario, { open: true }), contextOf(target, []), lenient, callbacks);
    expect(outcome.stagesRun).toBe(2);
    const [ramp, hold] = done.map((d) => d.run);
    // Expected sends: 0.5 * 200 * 0.5 s = 50 on the ramp (the 50th due exactly at the boundary), 100 in the hold.
    const rampSends = ramp!.openLoop!.sends;
    // A send due just before the boundary that a loaded machine issues after it is the hold's, and late there.
    expect(rampSends).toBeLessThanOrEqual(50);
    expect(rampSends).toBeGreaterThanOrEqual(49 - hold!.openLoop!.lateSends);
    expect(rampSends + hold!.openLoop!.sends).toBeGreaterThanOrEqual(149);
    expect(rampSends + hold!.openLoop!.sends).toBeLessThanOrEqual(150);
    expect(ramp!.measurement.completed).toBe(rampSends);
    expect(hold!.measurement.completed).toBe(hold!.openLoop!.sends);
    expect(hold!.openLoop!.achievedRatePerSec).toBeGreaterThan(150);
    expect(hold!.openLoop!.achievedRatePerSec).toBeLessThan(250);
    // On the ramp N(t) = 200 t^2 (t in s), so the k-th send is due at sqrt(k / 200) s from the
    // schedule's origin: 12 are due in its first 250 ms (N = 12.5). The origin is the driver's own
    // start, which a loaded machine reaches some ms after the drive's; read it off the first send.
    const origin = state.sends[0]! - 1000 * Math.sqrt(1 / 200);
    expect(origin).toBeGreaterThanOrEqual(outcome.startedAtMs - 1e-6);
    expect(state.sends.filter((t) => t - origin < 250).length).toBe(12);
  });

  it('resumes from a later stage: the drive starts there and only those stages are reported', async () => {
    const scenario = scenarioOf([
      { name: 'ramp-up', durationMs: 5_000, target: 4 },
      { name: 'hold', durationMs: 300, target: 4 },
      { name: 'down', durationMs: 200, target: 0 },
    ]);
    const { target } = serviceTarget(10);
    const { done, callbacks } = collect();
    const began = epochNowMs();
    const outcome = await runScenario(scenario, stepsOf(scenario, { fromStage: 1 }), contextOf(target, []), lenient, callbacks);
    expect(epochNowMs() - began).toBeLessThan(1500);
    expect(done.map((d) => d.step.profile?.name)).toEqual(['hold', 'down']);
    expect(outcome.stagesRun).toBe(2);
    expect(outcome.timeline[0]!.level).toBe(4);
  });

  it('stress: stops one hold stage past the first one that breaks the budget, and says why', async () => {
    // Capacity 6 in flight: holds at 2 and 4 pass, 8 fails on errors (503s), 12 is the one more.
    const levels = [2, 4, 8, 12, 16, 20];
    const stages = levels.flatMap((target, i) => [
      { name: `ramp-${i}`, durationMs: 50, target },
      { name: `hold-${target}`, durationMs: 250, target },
    ]);
    const scenario = scenarioOf(stages, { kind: 'stress', stopAfterBreak: 1 });
    const { target, state } = serviceTarget(20, 6);
    const { done, callbacks } = collect();
    const outcome = await runScenario(
      scenario,
      stepsOf(scenario),
      contextOf(target, []),
      { p95Ms: 1000, p99Ms: 1000, maxErrorRate: 0.01 },
      callbacks,
    );
    expect(outcome.stoppedEarly).toMatch(
      /^breaking point found: stage 5 "hold-8" at 8 in flight failed errorRate; stopped after 1 more hold stage$/,
    );
    // Stages up to hold-12 ran to their end (8 of 12). The stop lands during the 50 ms ramp to 16,
    // which a loaded machine may finish before hold-12 has drained and been judged; hold-16 never runs.
    const names = done.map((d) => d.step.profile?.name);
    expect(names.slice(0, 8)).toEqual(['ramp-0', 'hold-2', 'ramp-1', 'hold-4', 'ramp-2', 'hold-8', 'ramp-3', 'hold-12']);
    expect(names.length).toBeLessThanOrEqual(9);
    if (names.length === 9) expect(names[8]).toBe('ramp-4');
    expect(outcome.stagesRun).toBe(done.filter((d) => d.run.endedBy === 'duration').length);
    expect(outcome.stagesRun).toBeGreaterThanOrEqual(8);
    expect(done[3]!.run.measurement.errors.total).toBe(0);
    expect(done[5]!.run.measurement.errors.rate).toBeGreaterThan(0.1);
    expect(state.inFlight).toBe(0);
    expect(state.sends.reduce((a, b) => Math.max(a, b), 0) - outcome.startedAtMs).toBeLessThan(1800);
  });

  it('a hold at 0 is not a breaking point (it asks for nothing, so it measures nothing)', async () => {
    const stages = [
      { name: 'idle', durationMs: 200, target: 0 },
      { name: 'ramp-2', durationMs: 100, target: 2 },
      { name: 'hold-2', durationMs: 300, target: 2 },
      { name: 'ramp-4', durationMs: 100, target: 4 },
      { name: 'hold-4', durationMs: 300, target: 4 },
    ];
    const scenario = scenarioOf(stages, { kind: 'stress', stopAfterBreak: 1 });
    const { target } = serviceTarget(10);
    const { done, callbacks } = collect();
    const outcome = await runScenario(
      scenario,
      stepsOf(scenario),
      contextOf(target, []),
      { p95Ms: 1000, p99Ms: 1000, maxErrorRate: 0.01 },
      callbacks,
    );
    expect(outcome.stoppedEarly).toBeNull();
    expect(done.map((d) => d.step.profile?.name)).toEqual(stages.map((stage) => stage.name));
  });

  it('open loop with an in-flight cap: a stage waits for its own queued sends before it is reported', async () => {
    // 100/s for 500 ms against one slot of 50 ms: ~50 sends are due in the hold, ~10 can go out
    // in its time; the rest go out (late) during the next stage but still belong to the hold.
    const scenario = scenarioOf([
      { name: 'hold', durationMs: 500, target: 100 },
      { name: 'low', durationMs: 1500, target: 1 },
    ]);
    const steps = stepsOf(scenario, { open: true }).map((step) => ({ ...step, arrivals: { ...step.arrivals!, maxInFlight: 1 } }));
    const { target, state } = serviceTarget(50);
    const { done, callbacks } = collect();
    const outcome = await runScenario(scenario, steps, contextOf(target, [], { drainGraceMs: 2000 }), lenient, callbacks);
    const dueInHold = state.sends.filter((t) => t - outcome.startedAtMs < 500).length;
    const hold = done.find((d) => d.step.profile?.name === 'hold')!;
    expect(dueInHold).toBeGreaterThan(20);
    // Every send stamped in the hold was recorded in the hold, not lost after it was reported.
    expect(hold.run.measurement.completed + hold.run.measurement.errors.total).toBe(dueInHold);
    const recorded = done.reduce((sum, d) => sum + d.run.measurement.completed, 0);
    expect(recorded).toBe(outcome.timeline.reduce((sum, w) => sum + w.completed, 0));
  });

  it('an abort returns promptly: the stage under way is reported partial and nothing is left in flight', async () => {
    const scenario = scenarioOf([
      { name: 'ramp-up', durationMs: 100, target: 5 },
      { name: 'hold', durationMs: 10_000, target: 5 },
      { name: 'down', durationMs: 1_000, target: 0 },
    ]);
    const { target, state } = serviceTarget(30);
    const { done, callbacks } = collect();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const running = runScenario(scenario, stepsOf(scenario), contextOf(target, events, { signal: controller.signal }), lenient, callbacks);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const abortedAt = epochNowMs();
    controller.abort('SIGINT');
    const outcome = await running;
    expect(epochNowMs() - abortedAt).toBeLessThan(300);
    expect(outcome.stoppedEarly).toBe('interrupted by SIGINT');
    expect(outcome.stagesRun).toBe(1);
    expect(done.map((d) => [d.step.profile?.name, d.run.complete])).toEqual([
      ['ramp-up', true],
      ['hold', false],
    ]);
    expect(done[1]!.run.measurement.completed).toBeGreaterThan(20);
    expect(state.inFlight).toBe(0);
    expect(outcome.timeline.at(-1)!.endMs - outcome.startedAtMs).toBeLessThan(600);
    // Aborted before it starts: nothing sent, nothing reported.
    const early = new AbortController();
    early.abort('SIGTERM');
    const none = collect();
    const skipped = await runScenario(
      scenario,
      stepsOf(scenario),
      contextOf(serviceTarget(1).target, [], { signal: early.signal }),
      lenient,
      none.callbacks,
    );
    expect(skipped).toMatchObject({ stagesRun: 0, stoppedEarly: 'interrupted by SIGTERM', timeline: [] });
    expect(none.done).toEqual([]);
  });

  it('an abort with sends stuck at the target: the drain ends within ABORT_DRAIN_GRACE_MS, the stuck items counted as abandoned', async () => {
    const scenario = scenarioOf([
      { name: 'ramp-up', durationMs: 0, target: 5 },
      { name: 'hold', durationMs: 10_000, target: 5 },
    ]);
    const { target } = serviceTarget(8_000); // answers long after the test is over
    const { done, callbacks } = collect();
    const warnings: string[] = [];
    const controller = new AbortController();
    const context = contextOf(target, [], { signal: controller.signal, drainGraceMs: 10_000, warn: (message) => warnings.push(message) });
    const running = runScenario(scenario, stepsOf(scenario), context, lenient, callbacks);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const abortedAt = epochNowMs();
    controller.abort('SIGTERM');
    await running;
    expect(epochNowMs() - abortedAt).toBeLessThan(ABORT_DRAIN_GRACE_MS * 2);
    const hold = done.find((d) => d.step.profile?.name === 'hold')!;
    expect(hold.run.complete).toBe(false);
    expect(hold.run.measurement).toMatchObject({ completed: 0, abandoned: 5, errors: { total: 0 } });
    expect(warnings).toEqual([
      'scenario stage 1 "hold": 5 items still in flight after the drain that followed when the run was interrupted: abandoned (counted as abandoned, not as completed or errors)',
    ]);
  }, 15_000);
});
