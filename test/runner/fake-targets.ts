/** Tiny targets over the public Target interface, with latencies the tests choose. */
import { join } from 'node:path';
import { epochNowMs } from '../../src/core/clock.js';
import type { Workload } from '../../src/core/workload.js';
import { parseWorkload } from '../../src/workload/load.js';
import type { EnvironmentReport } from '../../src/core/report/environment.js';
import type { RunnerTarget } from '../../src/runner/types.js';
import type { ItemResult } from '../../src/core/item-result.js';
import type { Stage } from '../../src/core/stage.js';

export const environment: EnvironmentReport = {
  node: process.version,
  platform: 'linux',
  arch: 'x64',
  hostname: 'test',
  cpu: { model: 'test', cores: 1, physicalCores: null, speedGHz: null },
  memTotalBytes: 1,
  os: { distro: 'test', release: '1', kernel: '1' },
  gitCommit: null,
  pipebenchVersion: '0.0.0',
};

/**
 * Answers each item after `latencyMs(context)` ms: `sinceConfigureMs` counts from the step's
 * configure() (each step starts its own clock), `batchSize` is the configured maximum.
 */
export function delayTarget(
  latencyMs: (context: { readonly sinceConfigureMs: number; readonly batchSize: number; readonly stage: Stage }) => number,
): RunnerTarget {
  let configuredAtMs = epochNowMs();
  let batchSize = 1;
  return {
    info: { kind: 'inprocess', description: 'delay target' },
    backend: null,
    models: [],
    async configure(_stage, config) {
      configuredAtMs = epochNowMs();
      batchSize = config.maxBatchSize;
    },
    submit(stage, _text, tArrivalMs) {
      const delay = latencyMs({ sinceConfigureMs: epochNowMs() - configuredAtMs, batchSize, stage });
      return new Promise<ItemResult>((resolve) =>
        setTimeout(() => {
          const t = epochNowMs();
          resolve({ ok: true, tArrivalMs, tResponseMs: t, queueMs: 0, inferenceMs: t - tArrivalMs, batchSize: 1 });
        }, delay),
      );
    },
    async close() {},
  };
}

const WORKLOAD_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'workloads');

/**
 * A workload named `name` against a template-protocol server at `url` (body {"text": ...}, the answer's
 * `output` field read back), with the test's own `yaml` after it; its corpus is the fixtures' prompts.
 */
export function templateWorkload(name: string, url: string, output: string, yaml: string): Workload {
  return parseWorkload(
    `name: ${name}
corpus: { path: prompts.jsonl }
target:
  url: ${url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: ${output} }
${yaml}`,
    join(WORKLOAD_FIXTURES, `${name}.yaml`),
    WORKLOAD_FIXTURES,
  );
}
