/**
 * Sign-off against a served model: the same workload run against `pipebench serve`, then against a
 * second serve that adds a known delay of 25 % of the baseline's p50 to every model request.
 * `pipebench compare` must FAIL and name the step.
 *
 * Both servers also sleep a fixed BASE_DELAY_MS per request, so p50 is mostly a known sleep: the
 * model's own few milliseconds swing several-fold when other work shares the two cores (a baseline
 * measured under load once came out slower than the unloaded candidate), and that swing must stay
 * small against the 25 % slowdown.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { classifyRunArgs, runCli, startServe, type ServeProcess } from './cli-process.js';

const BASE_DELAY_MS = 400;

const servers: ServeProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function measure(url: string, outDir: string): Promise<RunReport> {
  const result = await runCli([...classifyRunArgs(url, 1, 60, 4), '--out', outDir, '--no-gpu', '--quiet']);
  expect(result.code).toBe(0);
  return JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
}

describe('pipebench compare on a served model', () => {
  it('a candidate server 25 % slower FAILs with exit 1, naming the step', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipebench-compare-served-'));
    const baselineServer = await startServe(['--backend', 'wasm', '--added-latency', String(BASE_DELAY_MS)]);
    servers.push(baselineServer);
    const baseline = await measure(baselineServer.url, join(dir, 'baseline'));
    const p50Ms = baseline.steps[0]!.latencyMs.e2e!.p50;
    await servers.pop()!.stop();

    const slowServer = await startServe(['--backend', 'wasm', '--added-latency', String(BASE_DELAY_MS + Math.ceil(p50Ms * 0.25))]);
    servers.push(slowServer);
    const candidate = await measure(slowServer.url, join(dir, 'candidate'));
    expect(candidate.steps[0]!.latencyMs.e2e!.p50).toBeGreaterThan(p50Ms * 1.1);

    const result = await runCli(['compare', join(dir, 'baseline', 'report.json'), join(dir, 'candidate', 'report.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL/);
    expect(result.stdout).toMatch(/classify/);
    expect(result.stdout).toMatch(/p50/);
  }, 120_000);
});
