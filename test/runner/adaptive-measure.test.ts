import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepReport } from '../../src/core/report/step.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { createHttpTarget } from '../../src/targets/http/target.js';
import { parseWorkload } from '../../src/workload/load.js';
import { mulberry32 } from '../../src/random.js';
import { startFaultServer, type FaultServer } from '../fixtures/http/fault-server.js';
import { environment } from './fake-targets.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

/**
 * A loopback server whose service time is drawn from a known distribution (seeded), one draw per
 * request, long enough that the event loop's jitter on a loaded machine is small beside it:
 * tight = 200-204 ms uniform; tail = 80 % at 200 ms, 20 % uniform over 200-1000 ms, so its p95
 * (800 ms) sits where the density is 0.00025 per ms: a +-10 % interval (+-80 ms, +-0.02 in
 * quantile) needs (1.96 / 0.02)^2 x 0.95 x 0.05 = ~460 samples, where the tight one needs only
 * MLPerf's minimum of 90.
 */
function serviceTime(kind: 'tight' | 'tail'): () => number {
  const random = mulberry32(kind === 'tight' ? 1 : 2);
  return kind === 'tight' ? () => 200 + 4 * random() : () => (random() < 0.8 ? 200 : 200 + 800 * random());
}

async function knownServer(kind: 'tight' | 'tail'): Promise<FaultServer> {
  const draw = serviceTime(kind);
  return startFaultServer((_request, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"label":"x"}');
    }, draw());
  });
}

let servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

let lastWarnings: readonly string[] = [];

async function adaptiveSteps(
  server: FaultServer,
  measure: string,
  stability = 'false',
  concurrency = '[32]',
  more = '',
): Promise<readonly StepReport[]> {
  const workload = parseWorkload(
    `name: adaptive
${more}corpus: { path: prompts.jsonl }
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: label }
warmup: { requests: 128 } # four rounds of 32: connections open and warm before measuring
measure: ${measure}
stability: ${stability}
stages: [{ stage: classify, concurrency: ${concurrency} }]
`,
    join(FIXTURES, 'adaptive.yaml'),
    FIXTURES,
  );
  if (workload.target.kind !== 'http') throw new Error('expected an HTTP workload');
  const spec = workload.target;
  const outDir = await mkdtemp(join(tmpdir(), 'pipebench-adaptive-'));
  const { report } = await runBenchmark({
    workload,
    outDir,
    runId: 'adaptive',
    environment,
    openTarget: () => createHttpTarget(spec, { env: {} }),
  });
  if (report.steps.length === 0) throw new Error('no step measured');
  lastWarnings = report.warnings;
  return report.steps;
}

async function adaptiveStep(server: FaultServer, measure: string, stability = 'false'): Promise<StepReport> {
  return (await adaptiveSteps(server, measure, stability))[0]!;
}

describe('adaptive measurement (measure.precision) against servers of known service time', () => {
  it('stops once the p95 interval is within +-10 %: the tight server early, the long-tailed one later, each with what it needs', async () => {
    const tight = await knownServer('tight');
    const tail = await knownServer('tail');
    servers = [tight, tail];
    const tightStep = await adaptiveStep(tight, '{ precision: 10%, maxDuration: 30s }');
    const tailStep = await adaptiveStep(tail, '{ precision: 10%, maxDuration: 30s }');
    for (const step of [tightStep, tailStep]) {
      expect(step.endedBy).toBe('precision');
      expect(step.precision).toMatchObject({ target: 0.1, met: true });
      expect(step.precision!.reached!).toBeLessThanOrEqual(0.1);
      expect(step.e2eConfidence!.p95.supported).toBe(true);
      expect(step.requested).toBeNull();
      expect(step.measuredMs).toBeLessThan(30_000);
    }
    // The tail's p95 is ~800 ms against the tight one's ~204 ms (plus the loaded machine's jitter).
    expect(tailStep.latencyMs.e2e!.p95).toBeGreaterThan(tightStep.latencyMs.e2e!.p95);
    // A fixed count sized to reach +-10 % on both steps is at least the tail's: the tight step spent
    // less than that, and the tail step kept measuring past where the tight one had stopped.
    expect(tightStep.measured!).toBeLessThan(tailStep.measured!);
    expect(tailStep.windows.length).toBeGreaterThan(tightStep.windows.length);
  }, 90_000);

  it('a precision the cap cannot buy ends the step at measure.maxDuration, reporting the interval it reached', async () => {
    const tail = await knownServer('tail');
    servers = [tail];
    const step = await adaptiveStep(tail, '{ precision: 0.5%, maxDuration: 3s }'); // ~90,000 samples would do
    expect(step.endedBy).toBe('maxDuration');
    expect(step.precision!.met).toBe(false);
    expect(step.precision!.reached!).toBeGreaterThan(0.005);
    expect(step.complete).toBe(true);
    // Sending stopped at the cap; what was in flight then came back within its own latency.
    expect(step.measuredMs).toBeGreaterThanOrEqual(3000 - step.latencyMs.e2e!.max);
    expect(step.measuredMs).toBeLessThanOrEqual(3000 + step.latencyMs.e2e!.max);
  }, 60_000);

  it('measure.maxWindows ends a step that cannot reach its precision after that many windows, well before its time cap', async () => {
    const tail = await knownServer('tail');
    servers = [tail];
    const step = await adaptiveStep(tail, '{ precision: 0.5%, maxWindows: 3, maxDuration: 60s }'); // ~90,000 samples would do
    expect(step.endedBy).toBe('maxWindows');
    expect(step.precision!.met).toBe(false);
    expect(step.complete).toBe(true);
    // Three windows closed, then the requests in flight came back into a last, partial one.
    const closed = step.windows.filter((w) => w.endMs - w.startMs >= step.precision!.windowMs);
    expect(closed.length).toBe(3);
    expect(step.windows.length).toBeLessThanOrEqual(4);
    // Sending stopped as the third window closed: 3 windows of measuring, plus at most one window to notice and one answer to drain.
    const threeWindowsMs = 3 * step.precision!.windowMs;
    expect(step.measuredMs).toBeGreaterThanOrEqual(threeWindowsMs);
    expect(step.measuredMs).toBeLessThanOrEqual(threeWindowsMs + step.precision!.windowMs + step.latencyMs.e2e!.max);
  }, 60_000);

  it('measure.maxSweepDuration shares the sweep time: a step may take what is left less 4 s for each step after it', async () => {
    const tail = await knownServer('tail');
    servers = [tail];
    const sweepStartedMs = performance.now();
    // Three steps that cannot reach +-0.5 %; alone each would measure its full 20 s.
    const steps = await adaptiveSteps(tail, '{ precision: 0.5%, maxDuration: 20s, maxSweepDuration: 16s }', 'false', '[16, 32, 64]');
    const sweepMs = performance.now() - sweepStartedMs;
    expect(steps.map((step) => step.endedBy)).toEqual(['maxDuration', 'maxDuration', 'maxDuration']);
    // What a step measures past its cap: the answers still in flight when it stopped sending.
    const drainMs = Math.max(...steps.map((step) => step.latencyMs.e2e!.max));
    // The first step's cap: 16 s less 2 x 4 s kept for the two after it.
    expect(steps[0]!.measuredMs).toBeGreaterThanOrEqual(8000 - drainMs);
    expect(steps[0]!.measuredMs).toBeLessThanOrEqual(8000 + drainMs);
    // By then at least 8 s of the 16 were spent: each later step gets the 4 s reserve.
    for (const step of steps.slice(1)) expect(step.measuredMs).toBeLessThanOrEqual(4000 + drainMs);
    // Alone, the three would have measured 60 s.
    expect(sweepMs).toBeLessThan(40_000);
    // Each step the sweep's cap ended says so, with what it had left.
    for (const step of steps) {
      expect(
        lastWarnings.some(
          (w) => w.startsWith(`step ${step.index} (classify batch 1): ended at `) && w.includes('measure.maxSweepDuration 16'),
        ),
      ).toBe(true);
    }
  }, 90_000);

  it('with repeat, each pass of the sweep has the whole measure.maxSweepDuration', async () => {
    const tail = await knownServer('tail');
    servers = [tail];
    await adaptiveSteps(tail, '{ precision: 0.5%, maxDuration: 20s, maxSweepDuration: 5s }', 'false', '[32]', 'repeat: 2\n');
    // One step a pass: each pass gives it the 5 s (shared over both passes, the second would get the 4 s reserve).
    const capWarnings = lastWarnings.filter((w) => w.includes('measure.maxSweepDuration 5 s'));
    expect(capWarnings).toHaveLength(2);
    expect(capWarnings[0]).toMatch(/^step 0 \(classify batch 1, repeat 1\): ended at (4\.9\d|5) s,/);
    expect(capWarnings[1]).toMatch(/^step 0 \(classify batch 1, repeat 2\): ended at (4\.9\d|5) s,/);
  }, 90_000);

  it('with stability on, a precise step still measures until its last windows agree', async () => {
    const tight = await knownServer('tight');
    servers = [tight];
    const step = await adaptiveStep(tight, '{ precision: 10%, maxDuration: 30s }', '{ windows: 3, tolerance: 25% }');
    // Three closed windows of at least 1 s before it may stop, though the interval is reached in the first.
    expect(step.stability?.kind).toBe('stable');
    expect(step.endedBy).toBe('precision');
    expect(step.windows.length).toBeGreaterThanOrEqual(4);
    expect(step.measuredMs).toBeGreaterThanOrEqual(3000);
  }, 60_000);
});
