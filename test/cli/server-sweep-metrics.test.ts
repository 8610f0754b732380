/**
 * Pruning by the server's own metrics in a real run (issue 15): the known batcher serves its batch
 * figures on /metrics, the run scrapes them per step, and the search stops raising a max batch its
 * batcher never fills. The same sweep without the metrics spends one more run and chooses the same.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { runCli } from './cli-process.js';
import { taggedPids } from '../fixtures/servers/tagged.js';
import { sweepWorkload } from './server-sweep-workload.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipebench-sweep-metrics-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sweep(name: string, serverMetrics: boolean): Promise<RunReport> {
  const tag = `metrics-${name}-${process.pid}`;
  const workload = join(dir, `${name}.yaml`);
  await writeFile(
    workload,
    sweepWorkload({
      tag,
      params: '{ maxQueueDelayMs: [10], maxBatchSize: [8, 32, 64] }',
      concurrency: 25,
      extra: `--a-ms 100 --c-ms 0.5${serverMetrics ? ' --metrics 1' : ''}`,
      measure: '{ duration: 2s, maxDuration: 20s }',
      budget: '{ p95: 2s, p99: 4s, maxErrorRate: 1% }',
      serverMetrics,
    }),
  );
  const out = join(dir, name);
  const result = await runCli(['run', workload, '--out', out, '--quiet']);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(taggedPids(tag)).toEqual([]);
  return JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
}

describe("a server sweep pruned by the server's own metrics", () => {
  /*
   * By hand, 25 requests in flight, T(b) = 100 + 0.5 b ms, one instance, queue delay 10 ms:
   * - max batch 8 fills every batch (the returning items refill the queue at once): 8 / 104 ms -> 77 items/s.
   * - max batch 32 and 64 never fill (25 < m): each batch waits the 10 ms, then takes the 25:
   *   25 / (10 + 112.5) ms -> 204 items/s, the best; 64 adds nothing over 32.
   * Doubling runs 8, then 32 (the next listed), and, as 32 gained over 8, 64. The batcher's metrics
   * say 32 was filled at most 25 of 32 on average (78 % < 80 %): not worth raising, so with them 64
   * is never launched. The margins (2.6x from 8 to 32; a mean batch that cannot pass 25) hold on a
   * loaded machine.
   */
  it('spends fewer runs with metrics than without, and both find max batch 32', async () => {
    const without = (await sweep('without', false)).serverSweep!;
    const report = await sweep('with', true);
    const withMetrics = report.serverSweep!;
    expect(without.configurations.map((c) => c.params.maxBatchSize)).toEqual([8, 32, 64]);
    expect(withMetrics.configurations.map((c) => c.params.maxBatchSize)).toEqual([8, 32]);
    expect(withMetrics.runsSpent).toBeLessThan(without.runsSpent);
    expect(withMetrics.chosen?.params).toEqual({ maxQueueDelayMs: 10, maxBatchSize: 32 });
    // Without the metrics, 32 and 64 are the same server at this load: either may measure a hair higher.
    expect([32, 64]).toContain(without.chosen?.params.maxBatchSize);
    // The pruning read the scraped figures: the batcher filled 8 of 8, and at most the 25 in flight of 32.
    const fill = (maxBatchSize: number) => withMetrics.scores.find((s) => s.params.maxBatchSize === maxBatchSize)?.serverBatchMean;
    expect(fill(8)).toBeGreaterThanOrEqual(0.8 * 8);
    expect(fill(32)).toBeGreaterThan(8);
    expect(fill(32)).toBeLessThanOrEqual(25);
    expect(withMetrics.chosen?.reason).toMatch(/the batcher filled \d+ of 32 on average$/);
    expect(without.scores.every((s) => s.serverBatchMean === null)).toBe(true);
  }, 300_000);
});
