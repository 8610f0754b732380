import { environment } from './fake-targets.js';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../src/core/clock.js';
import type { RunReport } from '../../src/core/report/run.js';
import { runBenchmark } from '../../src/runner/run-benchmark.js';
import { type RunnerTarget } from '../../src/runner/types.js';
import type { PoolSizing } from '../../src/targets/capabilities.js';
import type { ItemResult } from '../../src/core/item-result.js';
import { parseWorkload } from '../../src/workload/load.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');
const workload = parseWorkload(
  `name: runner-test
corpus: { path: prompts.jsonl }
warmup: { requests: 2 }
measure: { requests: 10 }
stability: false
stages:
  - { stage: classify, batchSizes: [1, 2, 4] }
`,
  join(FIXTURES, 'runner-test.yaml'),
  FIXTURES,
);

/** Answers after 1 ms; its second configure() fails like a target whose instances all died. */
function failingTarget(): RunnerTarget & { closed: boolean } {
  let configures = 0;
  return {
    info: { kind: 'inprocess', description: 'test target' },
    backend: null,
    models: [],
    closed: false,
    async configure() {
      if (++configures === 2) throw new Error('every model instance has exited');
    },
    submit(_stage, _text, tArrivalMs) {
      return new Promise<ItemResult>((resolve) =>
        setTimeout(() => {
          const t = epochNowMs();
          resolve({ ok: true, tArrivalMs, tResponseMs: t, queueMs: 0, inferenceMs: t - tArrivalMs, batchSize: 1 });
        }, 1),
      );
    },
    async close() {
      this.closed = true;
      throw new Error('close failed too');
    },
  };
}

describe('runBenchmark', () => {
  it('a step that throws still leaves a final report of what was measured, with the reason, and closes the target', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-runner-'));
    const target = failingTarget();
    await expect(runBenchmark({ workload, outDir, runId: 'r1', environment, openTarget: async () => target })).rejects.toThrow(
      'every model instance has exited',
    );
    expect(target.closed).toBe(true);
    const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
    expect(report.partial).toBe(true);
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]!.completed).toBe(10);
    expect(report.harnessHealth).not.toBeNull();
    expect(report.warnings).toContain('run stopped early: every model instance has exited');
    expect(report.warnings).toContain('closing the target failed: close failed too');
  });

  it('a failure before the first step writes nothing (the run never started) and still closes the target', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'pipebench-runner-'));
    let closed = false;
    const target: RunnerTarget & PoolSizing = {
      info: { kind: 'http', description: 'test target' },
      backend: null,
      models: [],
      async setConnections() {
        throw new Error('cannot size the pools');
      },
      async configure() {},
      submit: () => Promise.reject(new Error('never sent')),
      async close() {
        closed = true;
      },
    };
    await expect(runBenchmark({ workload, outDir, runId: 'r2', environment, openTarget: async () => target })).rejects.toThrow(
      'cannot size the pools',
    );
    expect(closed).toBe(true);
    expect(await readdir(outDir)).toEqual([]);
  });
});
