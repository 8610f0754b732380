/**
 * Sharded runs and `pipebench merge`, end to end: N shard processes of the built CLI on loopback
 * against one node:http server, then merge. The merge is exact (its e2e histogram equals one
 * rebuilt here, independently, from the shards' own encoded histograms: count and every
 * percentile), the shards' prompt streams are disjoint, and merged throughput matches one process
 * driving the whole plan (open loop: the server is far from its limit, so both see the planned rate).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FIXTURES, runCli } from './cli-process.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

const SHARDS = 3;
const RATE_PER_SEC = 120;
const MEASURE_S = 4;
const STACK_LINE = /^\s+at /m;

let dir: string;
let server: Server;
let url: string;
/** Every text the server received, tagged by the request that carried it. */
const received: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipebench-shard-'));
  cpSync(join(FIXTURES, 'prompts.jsonl'), join(dir, 'prompts.jsonl'));
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (body !== '') received.push((JSON.parse(body) as { text: string }).text);
      setTimeout(() => response.end('{"label": "x"}'), 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    join(dir, 'plan.yaml'),
    `name: shard-plan
seed: 7
corpus: { path: prompts.jsonl }
target:
  url: ${url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: label }
load: { arrivals: constant, rates: [${RATE_PER_SEC}], maxInFlight: 30 }
warmup: { requests: 30 }
measure: { duration: ${MEASURE_S}s, maxDuration: 30s }
stability: false
stages: [{ stage: classify, batchSizes: [1] }]
`,
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function readReport(folder: string): RunReport {
  return JSON.parse(readFileSync(join(dir, folder, 'report.json'), 'utf8')) as RunReport;
}

/** The histogram of all shards' samples together, built here from their encodings (not by the merge module). */
function rebuilt(encoded: readonly string[]): Histogram {
  const total = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  for (const one of encoded) total.add(decodeFromCompressedBase64(one, 32, false));
  return total;
}

const PERCENTILES = [0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

describe('pipebench run --shard i/N, then pipebench merge', () => {
  it(`${SHARDS} shards merge exactly, and their throughput matches one process driving the whole plan`, async () => {
    const plan = join(dir, 'plan.yaml');
    const common = ['--no-gpu', '--no-server-metrics', '--no-health', '-q'];
    const wholeStartedMs = Date.now();
    const whole = await runCli(['run', plan, ...common, '--out', join(dir, 'whole')]);
    // A loaded machine may send late (a warning on stderr); the latency still counts from the schedule.
    expect(whole.code, whole.stderr).toBe(0);
    const before = received.length;

    // Every shard starts its first step at one instant, far enough ahead for N processes to start on
    // a loaded machine: twice what the whole run took here (its start-up, warm-up and measurement).
    const leadMs = 2 * (Date.now() - wholeStartedMs);
    const startAt = new Date(Date.now() + leadMs).toISOString();
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        runCli(['run', plan, ...common, '--out', join(dir, `shards/shard-${i}`)], {
          JOB_COMPLETION_INDEX: String(i),
          PIPEBENCH_SHARDS: String(SHARDS),
          PIPEBENCH_START_AT: startAt,
        }),
      ),
    );
    for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
    const shardReports = Array.from({ length: SHARDS }, (_, i) => readReport(`shards/shard-${i}`));

    // Each shard recorded its place, its start skew against --start-at, and its clock offset from the target's Date header.
    console.log(`shard start: lead ${leadMs} ms, skews ${shardReports.map((r) => r.shard?.startSkewMs?.toFixed(1)).join(', ')} ms`);
    for (const [i, report] of shardReports.entries()) {
      expect(report.shard).toMatchObject({ index: i, of: SHARDS, startAt });
      expect(report.shard?.startSkewMs).toBeGreaterThanOrEqual(0);
      expect(report.shard?.startSkewMs).toBeLessThan(1000);
      // Same machine: the offset is the Date header's rounding, within its stated uncertainty.
      expect(Math.abs(report.shard?.clockOffset?.offsetMs ?? Infinity)).toBeLessThanOrEqual(report.shard?.clockOffset?.uncertaintyMs ?? 0);
    }
    // Disjoint prompt streams: no text reached the server from two shards.
    const shardTexts = received.slice(before);
    expect(new Set(shardTexts).size).toBe(shardTexts.length);

    const merge = await runCli(['merge', join(dir, 'shards'), '--out', join(dir, 'merged')]);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    expect(merge.stdout).toMatch(new RegExp(`merged ${SHARDS} shards`));
    const merged = readReport('merged');
    for (const report of [...shardReports, merged]) expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const step = merged.steps[0]!;

    // Exact: the merged histogram is the histogram of every shard's samples recorded together.
    const all = rebuilt(shardReports.map((r) => r.steps[0]!.histograms.e2e!));
    const mergedHistogram = rebuilt([step.histograms.e2e!]);
    expect(mergedHistogram.totalCount).toBe(all.totalCount);
    expect(step.completed).toBe(shardReports.reduce((sum, r) => sum + r.steps[0]!.completed, 0));
    expect(step.latencyMs.e2e?.count).toBe(all.totalCount);
    for (const p of PERCENTILES) expect(mergedHistogram.getValueAtPercentile(p), `p${p}`).toBe(all.getValueAtPercentile(p));
    expect(step.latencyMs.e2e?.p95).toBe(all.getValueAtPercentile(95) / 1000);
    expect(step.latencyMs.e2e?.p99).toBe(all.getValueAtPercentile(99) / 1000);
    // Windows added on the shared grid: their counts are every item's.
    expect(step.windows.reduce((sum, w) => sum + w.completed, 0)).toBe(step.completed);
    // Per-shard figures kept beside the merged ones, in report.json and report.md.
    expect(merged.shards?.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(merged.shards?.[1]?.steps[0]?.e2eP95Ms).toBe(shardReports[1]!.steps[0]!.latencyMs.e2e!.p95);
    const markdown = readFileSync(join(dir, 'merged', 'report.md'), 'utf8');
    expect(markdown).toContain('## Shards');
    // The analysis ran again on the merged run.
    expect(merged.recommendation[0]?.batchSize).toBe(1);

    // Throughput: open loop at a rate far below the server's limit, so one process and N shards both
    // achieve the planned rate; what separates them is the merged window (start skew + last response).
    const single = readReport('whole').steps[0]!.throughput.itemsPerSec;
    const ratio = step.throughput.itemsPerSec / single;
    console.log(
      `shard merge: ${SHARDS} shards ${step.throughput.itemsPerSec.toFixed(1)} items/s vs one process ${single.toFixed(1)} (ratio ${ratio.toFixed(4)}); ` +
        `merged p95 ${step.latencyMs.e2e?.p95} ms from ${all.totalCount} samples; skews ${shardReports.map((r) => r.shard?.startSkewMs?.toFixed(1)).join(', ')} ms`,
    );
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(0.05);
  }, 120_000);

  it('merge refuses a different plan (naming the field), a repeated shard and a missing one: exit 2, one line', async () => {
    const other = readReport('shards/shard-1');
    writeFileSync(join(dir, 'other-plan.json'), JSON.stringify({ ...other, workload: { ...other.workload, seed: 8 } }));
    const shard = (i: number): string => join(dir, `shards/shard-${i}/report.json`);
    // Windows off the shards' grid (as a run without --shard records them) cannot be added window by window.
    const offGrid = readReport('shards/shard-2');
    const shifted = offGrid.steps.map((step) => ({
      ...step,
      windows: step.windows.map((w) => ({ ...w, startMs: w.startMs + 500, endMs: w.endMs + 500 })),
    }));
    writeFileSync(join(dir, 'off-grid.json'), JSON.stringify({ ...offGrid, steps: shifted }));
    const cases: [string[], RegExp][] = [
      [
        [shard(0), join(dir, 'other-plan.json'), shard(2)],
        /other-plan\.json: workload\.seed: expected the plan of .*shard-0\/report\.json \(shards of one run\), got a different value \(8 vs 7\)/,
      ],
      [[shard(0), shard(0), shard(2)], /shard-0\/report\.json: shard\.index: expected each shard once, got shard 0 again/],
      [[shard(0), shard(1)], /merge: expected all 3 shards \(0 to 2\), got none for shard 2/],
      [[join(dir, 'whole', 'report.json')], /whole\/report\.json: shard: expected the report of a shard run/],
      [[shard(0), shard(1), join(dir, 'off-grid.json')], /steps\[0\]\.windows: expected shards recorded on one window grid/],
    ];
    for (const [paths, message] of cases) {
      const result = await runCli(['merge', ...paths, '--out', join(dir, 'refused')]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
  }, 60_000);

  it('bad --shard, --start-at and shard environment: exit 2 naming the flag or variable', async () => {
    const plan = join(dir, 'plan.yaml');
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['--shard', '3/3'], {}, '--shard: expected a shard index from 0 to 2, got 3'],
      [['--shard', 'two'], {}, '--shard: expected i/N (shard i of N, i from 0)'],
      [[], { PIPEBENCH_SHARDS: '2' }, 'JOB_COMPLETION_INDEX: expected the shard index'],
      [[], { PIPEBENCH_SHARDS: '0', JOB_COMPLETION_INDEX: '0' }, 'PIPEBENCH_SHARDS: expected a shard count from 1 to 1024, got 0'],
      [['--shard', '0/2', '--start-at', 'tomorrow'], {}, '--start-at: expected an ISO 8601 time with its zone'],
      [['--shard', '0/2'], { PIPEBENCH_START_AT: '2026-12-05 22:00' }, 'PIPEBENCH_START_AT: expected an ISO 8601 time with its zone'],
      [['--start-at', '2026-12-05T22:00:00Z'], {}, '--start-at: expected --shard i/N'],
    ];
    for (const [args, env, message] of cases) {
      const result = await runCli(['run', plan, '--no-gpu', '-q', ...args, '--out', join(dir, 'bad')], env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
    const inProcess = await runCli(['run', join(FIXTURES, 'cli-tiny.yaml'), '--shard', '0/2', '--out', join(dir, 'bad')]);
    expect(inProcess.code).toBe(2);
    expect(inProcess.stderr).toMatch(/--shard: expected an HTTP sweep measured once for workload "[^"]+", got in-process models/);
  }, 60_000);
});
