/**
 * The stability check end to end: the built CLI drives a loopback server (node:http in this test)
 * whose calls take seeded log-normal times around 100 ms (so a machine's event-loop jitter stays
 * small beside them). Steady, with 2 in flight so that a window holds ~20 calls (sigma 0.25: the
 * spread alone fails most such windows), the step settles; made 30 % slower mid-step (16 in flight,
 * sigma 0.1), it ends unstable, with its p95 or throughput spread beyond tolerance + the sampling
 * error the report gives. Nothing here asserts a duration: only the verdicts and the report's own figures.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { mulberry32 } from '../../src/random.js';
import { FIXTURES, runCli } from './cli-process.js';

const MEDIAN_MS = 100;
const SLOWER = 1.3;

let server: Server;
let url: string;
/** When the server turns slower (ms after its first request); Infinity: never. */
let slowerAfterMs = Number.POSITIVE_INFINITY;
/** The log-normal's shape. */
let sigma = 0.1;
let firstRequestAtMs: number | null = null;
const random = mulberry32(16);

beforeAll(async () => {
  const body = Buffer.from('{"out":"ok"}');
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const nowMs = performance.now();
      firstRequestAtMs ??= nowMs;
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const slower = nowMs - firstRequestAtMs >= slowerAfterMs ? SLOWER : 1;
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(body), MEDIAN_MS * Math.exp(sigma * z) * slower);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** One classify step at `inFlight` for `duration`, stability on the last 3 windows within 10 %. */
async function run(inFlight: number, duration: string, maxExtend: string): Promise<RunReport['steps'][number]> {
  const dir = await mkdtemp(join(tmpdir(), 'pipebench-stability-drift-'));
  const workload = join(dir, 'drift.yaml');
  await writeFile(
    workload,
    `name: stability-drift
corpus: { path: ${join(FIXTURES, 'prompts.jsonl')} }
target:
  url: ${url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
  connections: ${inFlight}
  health: false
warmup: { requests: 0 }
measure: { duration: ${duration} }
stability: { windows: 3, tolerance: 10%, maxExtend: ${maxExtend} }
stages: [{ stage: classify, concurrency: [${inFlight}] }]
`,
  );
  firstRequestAtMs = null;
  const result = await runCli(['run', workload, '--out', join(dir, 'out'), '--no-gpu', '--no-server-metrics', '-q']);
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as RunReport;
  const [step] = report.steps;
  if (step === undefined) throw new Error('no step measured');
  return step;
}

describe('stability: drift, not sampling noise', () => {
  it('a steady server settles, and the report says within what', async () => {
    slowerAfterMs = Number.POSITIVE_INFINITY;
    sigma = 0.25;
    const step = await run(2, '4s', '2s');
    const stability = step.stability!;
    expect(stability.kind, stability.reason).toBe('stable');
    expect(stability.p95SamplingError).toBeGreaterThan(0);
    expect(stability.p95Spread!).toBeLessThanOrEqual(0.1 + stability.p95SamplingError! + 1e-9);
    expect(stability.throughputSpread!).toBeLessThanOrEqual(0.1 + stability.throughputSamplingError! + 1e-9);
    expect(stability.reason).toMatch(/^last 3 windows agree: p95 spread \d+\.\d % within 10\.0 % \+ sampling error \d+\.\d %/);
    // Each full window holds the ~20 calls it was sized for (2 in flight at ~100 ms: ~20 a second).
    for (const window of step.windows.slice(0, -1)) expect(window.calls).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it('a server that becomes 30 % slower mid-step ends unstable, its p95 or throughput spread beyond tolerance + sampling error', async () => {
    // Slower from 2 s on, in a 4 s step of ~1 s windows that may not extend: whether the last closed
    // window when it ends is the third or the fourth, the last 3 straddle the change.
    slowerAfterMs = 2000;
    sigma = 0.1;
    const step = await run(16, '4s', '0s');
    const stability = step.stability!;
    expect(stability.kind, stability.reason).toBe('unstable');
    // A closed loop against a server 30 % slower answers ~30 % later and ~23 % less often: the drift
    // shows as the p95 spread, the throughput spread or both beyond tolerance + their sampling error
    // (on a loaded machine a window's p95 may carry the client's own stalls, its throughput less so).
    const p95Drift = stability.p95Spread! > 0.1 + stability.p95SamplingError!;
    const throughputDrift = stability.throughputSpread! > 0.1 + stability.throughputSamplingError!;
    expect(p95Drift || throughputDrift, stability.reason).toBe(true);
    expect(stability.reason).toMatch(/(p95|throughput) spread \d+\.\d % over 10\.0 % \+ sampling error \d+\.\d %/);
    // The slowdown is in the judged windows themselves: the last one answered later or less often than the first.
    const judged = step.windows.filter((w) => w.endMs - w.startMs >= 900).slice(-3);
    const [first, last] = [judged[0]!, judged.at(-1)!];
    expect(last.e2eP95Ms! > first.e2eP95Ms! || last.completed < first.completed, JSON.stringify(judged)).toBe(true);
  }, 60_000);
});
