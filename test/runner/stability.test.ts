import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { type RunnerTarget } from '../../src/runner/types.js';
import { parseWorkload } from '../../src/workload/load.js';
import { delayTarget, environment } from './fake-targets.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

function workload(stability: string) {
  return parseWorkload(
    `name: stability-test
corpus: { path: prompts.jsonl }
warmup: { requests: 0 }
measure: { duration: 1s }
stability: ${stability}
stages:
  - { stage: classify, batchSizes: [1], concurrency: 8 }
`,
    join(FIXTURES, 'stability-test.yaml'),
    FIXTURES,
  );
}

async function runOne(stability: string, target: RunnerTarget) {
  const outDir = await mkdtemp(join(tmpdir(), 'pipebench-stability-'));
  const { report } = await runBenchmark({
    workload: workload(stability),
    outDir,
    runId: 'stability',
    environment,
    openTarget: async () => target,
  });
  const [step] = report.steps;
  if (step === undefined) throw new Error('no step measured');
  return step;
}

describe('stability windows', () => {
  it('a step whose latency drifts for 2.5 s keeps measuring past its 1 s plan until 3 windows agree, then is stable', async () => {
    // 10 ms rising to 40 ms over the first 2.5 s, then 40 ms: windows differ by far more than 20 % until then.
    const drifting = delayTarget(({ sinceConfigureMs }) => (sinceConfigureMs < 2500 ? 10 + (30 * sinceConfigureMs) / 2500 : 40));
    const step = await runOne('{ windows: 3, tolerance: 20%, maxExtend: 8s }', drifting);
    expect(step.stability?.kind, step.stability?.reason).toBe('stable');
    // It ran past its plan, and settling is what ended it.
    expect(step.endedBy).toBe('stable');
    // Exactly the report contract's fields (the schema allows no others).
    expect(Object.keys(step.stability!).sort()).toEqual([
      'extendedMs',
      'kind',
      'p95SamplingError',
      'p95Spread',
      'reason',
      'throughputSamplingError',
      'throughputSpread',
    ]);
    // Three settled windows end no earlier than 2.5 s + 3 s into the step, 1 s of it planned.
    expect(step.stability!.extendedMs).toBeGreaterThan(1500);
    expect(step.stability!.extendedMs).toBeLessThan(8000);
    expect(step.measuredMs).toBeGreaterThan(1000 + step.stability!.extendedMs - 200);
    const p95s = step.windows.map((w) => w.e2eP95Ms ?? 0);
    expect(p95s[0]!).toBeLessThan(0.7 * p95s[p95s.length - 2]!);
    // Settled means within the tolerance plus the windows' sampling error (a stall on a loaded machine widens it).
    expect(step.stability!.p95Spread!).toBeLessThanOrEqual(0.2 + step.stability!.p95SamplingError! + 1e-9);
  }, 15_000);

  it('a step that never settles measures until maxExtend runs out and is marked unstable, not passed', async () => {
    // 10 ms in even seconds, 40 ms in odd ones: neighbouring windows never agree.
    const flapping = delayTarget(({ sinceConfigureMs }) => (Math.floor(sinceConfigureMs / 1000) % 2 === 0 ? 10 : 40));
    const step = await runOne('{ windows: 3, tolerance: 10%, maxExtend: 2s }', flapping);
    expect(step.stability?.kind).toBe('unstable');
    expect(step.stability!.reason).toContain('limit reached');
    expect(step.endedBy).toBe('duration'); // the extension ran out: the plan's own reason stands
    expect(step.stability!.extendedMs).toBeGreaterThanOrEqual(2000);
    expect(step.stability!.extendedMs).toBeLessThan(2600);
    expect(step.stability!.p95Spread ?? step.stability!.throughputSpread ?? 0).toBeGreaterThan(0.1);
  }, 15_000);

  it('stability: false stops at the planned length and leaves the step unjudged', async () => {
    const steady = delayTarget(() => 5);
    const step = await runOne('false', steady);
    expect(step.stability).toBeNull();
    expect(step.measuredMs).toBeLessThan(1300);
  }, 10_000);
});
