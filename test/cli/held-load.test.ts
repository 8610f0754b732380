/**
 * Holding the promised load, end to end: the built CLI drives a loopback BetterPrompts classifier
 * (node:http in this test) that answers after a known service time and counts how many requests it
 * holds at once. Every bound asserted is either a hard one (a pool of C connections without
 * pipelining cannot have more than C requests on the wire) or derived from the step's own figures.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { classifyRunArgs, runCli } from './cli-process.js';

const SERVICE_MS = 20;
const PLANNED = 8;

let server: Server;
let url: string;
let holding = 0;
let maxHeld = 0;

beforeAll(async () => {
  const body = JSON.stringify({ intent: 'question_answering', confidence: 0.9, metadata: { processing_time: SERVICE_MS / 1000 } });
  server = createServer((request, res) => {
    request.resume();
    request.on('end', () => {
      holding++;
      maxHeld = Math.max(maxHeld, holding);
      setTimeout(() => {
        holding--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      }, SERVICE_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function run(extra: readonly string[]): Promise<{ report: RunReport; markdown: string; stdout: string; stderr: string }> {
  const outDir = await mkdtemp(join(tmpdir(), 'pipebench-held-'));
  const result = await runCli([
    ...classifyRunArgs(url, PLANNED, 160, 16),
    '--no-health',
    '--no-server-metrics',
    '--no-stability',
    '--no-gpu',
    '--out',
    outDir,
    ...extra,
  ]);
  expect(result.code).toBe(0);
  const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
  return { report, markdown: await readFile(join(outDir, 'report.md'), 'utf8'), stdout: result.stdout, stderr: result.stderr };
}

describe('steps[].achievedConcurrency: the load a closed-loop step really held', () => {
  it('connections capped below N: at most the pool on the wire, and a warning that names connections as the cause', async () => {
    maxHeld = 0;
    const { report, markdown, stderr } = await run(['--connections', '2']);
    const [step] = report.steps;
    const held = step!.achievedConcurrency!;
    // Two connections without pipelining: never more than two requests on the wire, whatever the machine's load.
    expect(maxHeld).toBeLessThanOrEqual(2);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(2 + 1e-9);
    expect(step!.inFlight!.areaMs / step!.inFlight!.spanMs).toBe(held);
    const warning = report.warnings.find((w) => w.includes('held'));
    expect(warning).toMatch(
      new RegExp(
        `^step 0 \\(classify batch 1 x${PLANNED} in flight\\): held \\d+\\.\\d in flight, \\d+ % of the ${PLANNED} planned \\(below 95 %\\)`,
      ),
    );
    expect(warning).toContain('likely cause: connections: 2 connections x pipelining 1 carry at most 2 requests at once');
    expect(markdown).toContain(`${held.toFixed(1)} of ${PLANNED}`);
    expect(stderr).toContain(`held ${held.toFixed(1)} of ${PLANNED} in flight`);
  }, 60_000);

  it('a pool as large as N: the mean on the wire agrees with Little’s law on the step’s own figures', async () => {
    const { report } = await run([]);
    const step = report.steps[0]!;
    const held = step.achievedConcurrency!;
    expect(held).toBeLessThanOrEqual(PLANNED + 1e-9);
    // Little's law over the measured window: items/s x mean time on the wire. The held figure spans the
    // sending (warm-up requests still out at its start count, the drain after it does not): they differ
    // by at most N requests over one longest request at each end, over the window.
    const little = step.throughput.itemsPerSec * (step.latencyMs.inference!.mean / 1000);
    const edgeTolerance = (PLANNED * 4 * step.latencyMs.e2e!.max) / step.measuredMs;
    expect(Math.abs(held - little)).toBeLessThanOrEqual(edgeTolerance);
    // Fewer than the pool could carry only when the client sent late; more than two means the cap above was the pool's, not the count's.
    expect(held).toBeGreaterThan(2);
  }, 60_000);
});
