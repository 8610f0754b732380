/**
 * Scenario verdicts against services whose behaviour is known in advance, through the built CLI:
 * - spike recovery on a FIFO server of known capacity: queueing predicts the backlog the spike
 *   leaves and how fast it drains, and the verdict's recoveryMs must agree;
 * - the stress breaking point on `pipebench serve --max-in-flight N`, which answers 503 beyond N.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import type { SpikeVerdict, StressVerdict } from '../../src/core/report/scenario-verdict.js';
import type { ScenarioStageSpec } from '../../src/core/scenario.js';
import { startFifoServer } from '../fixtures/http/fifo-server.js';
import { FIXTURES, runCli, startServe } from './cli-process.js';
import { levelAt, readReport, STACK_LINE, validateReport } from './scenario-assertions.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipebench-scenario-known-'));
});

/**
 * The fluid queue: arrivals at the stages' rate (requests/s) into a server of `capacityPerSec`;
 * the backlog grows by (rate - capacity) while it is above capacity and drains at
 * (capacity - rate) after. Returns the ms after `fromMs` until the backlog is gone (0 when there
 * is none), or null if it is still there when the stages end.
 */
export function predictedDrainMs(stages: readonly ScenarioStageSpec[], capacityPerSec: number, fromMs: number): number | null {
  const stepMs = 1;
  const endMs = stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  let backlog = 0;
  for (let t = 0; t < endMs; t += stepMs) {
    const rate = levelAt(stages, t + stepMs / 2) ?? 0;
    backlog = Math.max(0, backlog + ((rate - capacityPerSec) * stepMs) / 1000);
    if (t + stepMs >= fromMs && backlog <= 1e-9) return Math.max(0, t + stepMs - fromMs);
  }
  return null;
}

/** End of the fall back from the spike: the end of the stage that brings the rate down to the baseline. */
function spikeEndMs(stages: readonly ScenarioStageSpec[]): number {
  const peak = Math.max(...stages.map((s) => s.target));
  let atMs = 0;
  let passedPeak = false;
  for (const stage of stages) {
    atMs += stage.durationMs;
    if (stage.target === peak) passedPeak = true;
    else if (passedPeak) return atMs;
  }
  throw new Error('the stages never fall back from their peak');
}

describe('spike recovery on a FIFO server of known capacity', () => {
  const WORKLOAD = join(FIXTURES, 'scenario-spike-open.yaml');
  /** A fixed delay outside the queue: the baseline p95 sits well above timer jitter (10 % of it is 10+ ms). */
  const EXTRA_LATENCY_MS = 100;

  async function runAgainst(serviceMs: number, name: string): Promise<{ report: RunReport; verdict: SpikeVerdict; predictedMs: number }> {
    const server = await startFifoServer({ serviceMs, extraLatencyMs: EXTRA_LATENCY_MS });
    const dir = join(out, name);
    try {
      const result = await runCli(['run', WORKLOAD, '--target', server.url, '--no-gpu', '-q', '--out', dir]);
      expect(result.stderr).not.toMatch(STACK_LINE);
      const report = await readReport(dir);
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      const scenario = report.scenario!;
      expect(scenario).toMatchObject({ kind: 'spike', axis: 'rate' });
      expect(result.code, result.stdout + result.stderr).toBe(scenario.verdict.passed ? 0 : 1);
      expect(report.steps.every((step) => step.errors.total === 0)).toBe(true);
      const verdict = scenario.verdict as SpikeVerdict;
      const fallEndMs = spikeEndMs(scenario.stages);
      expect(verdict.spikeEndAtMs).toBeCloseTo(fallEndMs, 6);
      const drainMs = predictedDrainMs(scenario.stages, 1000 / serviceMs, fallEndMs);
      expect(drainMs, 'the fixture leaves time to drain').not.toBeNull();
      return { report, verdict, predictedMs: drainMs! };
    } finally {
      await server.close();
    }
  }

  // The verdict's rule is strict (p95 back within 10 % of a ~110 ms baseline for 3 windows in a row):
  // on a loaded machine one noisy window after a seconds-long spike can keep a run from confirming
  // its recovery (recoveryMs null, seen once in CI). Such a run is measured again, whole.
  it(
    'recovers when queueing says the backlog is gone; a server with twice the capacity recovers clearly faster',
    { retry: 2, timeout: 90_000 },
    async () => {
      const slow = await runAgainst(20, 'fifo-50-per-sec');
      const fast = await runAgainst(10, 'fifo-100-per-sec');

      // 50/s against a 100/s spike: ~65 requests queued by the end of the fall, draining at 25/s.
      expect(slow.predictedMs).toBeGreaterThan(2000);
      expect(slow.predictedMs).toBeLessThan(3000);
      // 100/s: the spike only reaches capacity, nothing queues.
      expect(fast.predictedMs).toBe(0);

      for (const { report, verdict, predictedMs } of [slow, fast]) {
        // Baseline: no queueing, so p95 is the service plus the fixed delay (and the client's overhead,
        // which on a machine loaded by other processes grows with the harness's own event-loop delay).
        const loopDelayMs = report.harnessHealth?.eventLoopDelay?.p99Ms ?? 0;
        expect(verdict.preSpikeP95Ms).toBeGreaterThanOrEqual(EXTRA_LATENCY_MS);
        expect(verdict.preSpikeP95Ms).toBeLessThan(EXTRA_LATENCY_MS + 80 + loopDelayMs);
        expect(verdict.recoveryMs).not.toBeNull();
        const windowMs = slow.report.scenario!.windowMs;
        // The last queued answer leaves at the drain time plus the fixed delay; recovery is timed to
        // the start of the first window after it: up to one window later, plus slack for timers.
        expect(verdict.recoveryMs!).toBeGreaterThanOrEqual(predictedMs - windowMs);
        expect(verdict.recoveryMs!).toBeLessThanOrEqual(predictedMs + EXTRA_LATENCY_MS + windowMs + 400);
        expect(verdict.passed).toBe(true);
      }
      // The queue shows during the spike on the small server only.
      expect(slow.verdict.spikeWorstP95Ms!).toBeGreaterThan(slow.verdict.preSpikeP95Ms! + 500);
      expect(fast.verdict.spikeWorstP95Ms!).toBeLessThan(fast.verdict.preSpikeP95Ms! + 200);
      expect(fast.verdict.recoveryMs!).toBeLessThan(slow.verdict.recoveryMs! - 1000);
    },
  );
});

describe('stress breaking point on pipebench serve --max-in-flight', () => {
  const LIMIT = 4;

  it(`breaks at the first level above ${LIMIT} with 503s, sustains ${LIMIT}, and stops one hold later`, async () => {
    const serve = await startServe(['--backend', 'wasm', '--max-in-flight', String(LIMIT), '--added-latency', '20ms']);
    const dir = join(out, 'stress-limit');
    try {
      const result = await runCli([
        'run',
        join(FIXTURES, 'scenario-stress-limit.yaml'),
        '--target',
        serve.url,
        '--no-gpu',
        '-q',
        '--out',
        dir,
      ]);
      expect(result.stderr).not.toMatch(STACK_LINE);
      const report = await readReport(dir);
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      const scenario = report.scenario!;
      const verdict = scenario.verdict as StressVerdict;
      expect(verdict.kind).toBe('stress');
      expect(result.code, result.stdout + result.stderr).toBe(verdict.passed ? 0 : 1);

      // Held levels 2 and 4 within budget, 8 breaks on errors, 16 runs as the one hold past the break, 32 never.
      expect(verdict.levels.map((l) => l.level)).toEqual([LIMIT / 2, LIMIT, 2 * LIMIT, 4 * LIMIT]);
      expect(verdict.levels.map((l) => l.withinBudget)).toEqual([true, true, false, false]);
      expect(verdict.levels[0]!.errorRate).toBe(0);
      expect(verdict.levels[1]!.errorRate).toBe(0);
      expect(verdict.breakingLevel).toBe(2 * LIMIT);
      expect(verdict.breakingReason).toContain('error rate');
      expect(verdict.maxSustainableLevel).toBe(LIMIT);
      expect(scenario.stoppedEarly).toBeTruthy();
      expect(result.stdout).toContain('stopped early');
      expect(report.steps.map((s) => s.profile?.name)).not.toContain('hold-32');

      // The stage table: 503s counted as http_5xx from the breaking level on, none below it.
      const step = (name: string): RunReport['steps'][number] => report.steps.find((s) => s.profile?.name === name)!;
      expect(step('hold-4').errors.total).toBe(0);
      for (const name of ['hold-8', 'hold-16']) {
        expect(step(name).errors.byClass['http_5xx'], name).toBeGreaterThan(0);
        expect(step(name).errors.total).toBe(step(name).errors.byClass['http_5xx']);
      }
      expect(step('hold-16').errors.rate).toBeGreaterThan(step('hold-8').errors.rate);
      // Past the break the verdict judges the degradation (here most requests turn into fast 503s).
      expect(typeof verdict.graceful).toBe('boolean');
      expect(verdict.summary).toContain(`broke at level ${2 * LIMIT}`);
    } finally {
      await serve.stop();
    }
  }, 120_000);
});
