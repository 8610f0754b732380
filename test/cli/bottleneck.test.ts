/**
 * Each step's bottleneck end to end (built CLI as a child process): real node:http servers on
 * 127.0.0.1 whose timing is known, and in-process wasm runs, with and without a replayed H100 trace.
 * Every verdict shows in report.json, report.md, report.html and steps.csv.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BottleneckVerdict } from '../../src/core/report/bottleneck.js';
import type { RunReport } from '../../src/core/report/run.js';
import { startFaultServer, type FaultServer } from '../fixtures/http/fault-server.js';
import { parseCsv } from '../report/csv-reader.js';
import { FIXTURES, classifyRunArgs, runCli } from './cli-process.js';

const H100_TRACE = join(import.meta.dirname, '..', 'fixtures', 'gpu', 'h100-80gb-hbm3', 'trace-100ms.csv');
/** A stand-in nvidia-smi on PATH that streams the real H100 trace (idle at its start) and lists one python3 process. */
const FAKE_NVIDIA_SMI = { PATH: `${join(import.meta.dirname, '..', 'fixtures', 'bin', 'ok')}:${process.env['PATH'] ?? ''}` };

/**
 * A BetterPrompts classify server that answers every request `delayMs` after it arrived and reports
 * `processingMs` as its own processing time (metadata.processing_time, seconds).
 */
function startDelayedServer(delayMs: number, processingMs: number): Promise<FaultServer> {
  const body = JSON.stringify({ intent: 'question_answering', confidence: 0.9, metadata: { processing_time: processingMs / 1000 } });
  return startFaultServer({ kind: 'delay', ms: delayMs, body });
}

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

interface Outputs {
  readonly report: RunReport;
  readonly md: string;
  readonly html: string;
  readonly csv: string[][];
}

async function outputsOf(outDir: string): Promise<Outputs> {
  const read = (name: string) => readFile(join(outDir, name), 'utf8');
  return {
    report: JSON.parse(await read('report.json')) as RunReport,
    md: await read('report.md'),
    html: await read('report.html'),
    csv: parseCsv(await read('steps.csv')),
  };
}

/** The step's verdict in all four outputs; returns its evidence. */
function expectVerdict(outputs: Outputs, verdict: BottleneckVerdict): readonly string[] {
  const step = outputs.report.steps[0]!;
  expect(step.bottleneck?.verdict, JSON.stringify(step.bottleneck)).toBe(verdict);
  const evidence = step.bottleneck!.evidence;
  expect(evidence.length).toBeGreaterThan(0);
  expect(outputs.md).toMatch(new RegExp(`^- batch 1 [^\\n]*: \\*\\*${verdict}\\*\\*: `, 'm'));
  expect(outputs.md).toContain(evidence[0]!.replaceAll('<', '&lt;'));
  expect(outputs.html).toContain(`<strong class="verdict">${verdict}</strong>`);
  const header = outputs.csv[0]!;
  expect(outputs.csv[1]![header.indexOf('bottleneck')]).toBe(verdict);
  expect(outputs.csv[1]![header.indexOf('bottleneck_evidence')]).toBe(evidence.join('; '));
  return evidence;
}

/**
 * Whether the machine starved pipebench itself during the step (a CPU-throttled CI box beside other
 * test files: its event loop ran ~100 ms late at p50). The client rule comes first by design, so the
 * step must then say "client" in every output, on the loop's delay alone (its own CPU at its limit
 * would be a bug here), and no verdict about the server can be judged from it.
 */
function starvedHarness(outputs: Outputs): boolean {
  if (outputs.report.steps[0]!.bottleneck?.verdict !== 'client') return false;
  expect(expectVerdict(outputs, 'client')).toEqual([
    expect.stringMatching(/^event-loop delay p50 [\d.]+ m?s over the step against an e2e p50 /),
  ]);
  return true;
}

/**
 * A run whose step was not starved (see starvedHarness), trying twice: null when both were, which
 * the test's annotation says, so a verdict left unjudged shows in the test output.
 */
async function unstarvedRun(run: () => Promise<Outputs>, annotate: (message: string) => Promise<unknown>): Promise<Outputs | null> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const outputs = await run();
    if (!starvedHarness(outputs)) return outputs;
  }
  await annotate('both runs were starved by the machine (verdict "client" on event-loop delay): the server verdict was not judged');
  return null;
}

async function workloadFile(dir: string, yaml: string): Promise<string> {
  const path = join(dir, 'workload.yaml');
  await writeFile(path, `corpus: { path: ${join(FIXTURES, 'prompts.jsonl')} }\nstability: false\n${yaml}`);
  return path;
}

/** `run --target url`: one classify step at 2 in flight. */
async function runClassify(url: string, requests: number, extra: readonly string[], env?: NodeJS.ProcessEnv): Promise<Outputs> {
  const outDir = await mkdtemp(join(tmpdir(), 'pipebench-bottleneck-http-'));
  const args = [...classifyRunArgs(url, 2, requests, 2), ...extra];
  const result = await runCli([...args, '--out', outDir, '--quiet'], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return outputsOf(outDir);
}

/** A classify step of batch 1 on one wasm instance at `inFlight`, through a workload file; GPU telemetry off unless `extra` replays a trace. */
async function runWasm(name: string, inFlight: number, requests: number, extra: readonly string[]): Promise<Outputs> {
  const dir = await mkdtemp(join(tmpdir(), `pipebench-bottleneck-${name}-`));
  const workload = await workloadFile(
    dir,
    `name: ${name}
warmup: { requests: 4 }
measure: { requests: ${requests}, maxDuration: 20s }
stages: [{ stage: classify, batchSizes: [1], concurrency: [${inFlight}] }]
`,
  );
  const outDir = join(dir, 'out');
  const gpu = extra.length === 0 ? ['--no-gpu'] : extra;
  const result = await runCli(['run', workload, '--backend', 'wasm', ...gpu, '--out', outDir, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return outputsOf(outDir);
}

describe('bottleneck verdicts from the built CLI', () => {
  it('a server reporting 1 ms of processing that answers after 250 ms: transport', async ({ annotate }) => {
    const server = await startDelayedServer(250, 1);
    closeServer = server.close;
    const outputs = await unstarvedRun(() => runClassify(server.url, 16, ['--no-gpu']), annotate);
    if (outputs === null) return;
    const evidence = expectVerdict(outputs, 'transport');
    // The client measured the server's 250 ms; the server said 1 ms of it was its own.
    expect(evidence[0]).toMatch(
      /^requests took \d+ ms at the client, 1 ms of it in the server \(its own processing time\): \d+ ms \((9\d|100) %\) outside the server/,
    );
  }, 60_000);

  it('a server on this host whose own time is the request while the (sampled) GPU idles: server-cpu', async ({ annotate }) => {
    const server = await startDelayedServer(100, 99);
    closeServer = server.close;
    const outputs = await unstarvedRun(() => runClassify(server.url, 24, [], FAKE_NVIDIA_SMI), annotate);
    if (outputs === null) return;
    // nvidia-smi lists a process that is not ours: the server on this host may be it, so the GPU is evidence.
    expect(outputs.report.steps[0]!.gpu!.processesAtStart).toMatchObject({
      kind: 'ok',
      apps: [{ pid: 450, processName: 'python3', own: false }],
    });
    const evidence = expectVerdict(outputs, 'server-cpu');
    expect(evidence[0]).toMatch(
      /^requests took [\d.]+ ms at the client, 99 ms of it in the server \(its own processing time\): [\d.]+ % outside it \(under 50 %\)$/,
    );
    expect(evidence).toContain('GPU 0 ran a kernel only 0 % of the step (under 80 %)');
  }, 60_000);

  it('one connection with 8 requests in flight: client-queue', async () => {
    const server = await startDelayedServer(20, 19);
    closeServer = server.close;
    const dir = await mkdtemp(join(tmpdir(), 'pipebench-bottleneck-queue-'));
    const workload = await workloadFile(
      dir,
      `name: one-connection
target: { url: ${server.url}, connections: 1 }
warmup: { requests: 8 }
measure: { requests: 48, maxDuration: 30s }
stages: [{ stage: classify, concurrency: [8] }]
`,
    );
    const outDir = join(dir, 'out');
    const result = await runCli(['run', workload, '--out', outDir, '--no-gpu', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const evidence = expectVerdict(await outputsOf(outDir), 'client-queue');
    // 7 of 8 requests wait for the one connection: about 7/8 of e2e is queue.
    expect(evidence[0]).toMatch(/^items waited \d+ ms of \d+ ms e2e \((8\d|9\d) %\) in pipebench for a connection/);
  }, 60_000);

  it('in-process wasm, one item at a time: model-bound', async () => {
    const outputs = await runWasm('wasm-one', 1, 24, []);
    const evidence = expectVerdict(outputs, 'model-bound');
    expect(evidence).toEqual([
      expect.stringMatching(/^the model call took [\d.]+ ms of [\d.]+ ms e2e \(\d+ %\)$/),
      expect.stringMatching(/^model instances in a model call [\d.]+ % of the step$/),
      'batches of 1.0 items (batch size 1)',
      'backend wasm on the CPU',
    ]);
  }, 90_000);

  it('in-process wasm with a replayed H100 trace: the GPU is "not used by the model", never a GPU verdict nor the host-side note', async () => {
    // Four in flight on one wasm instance: items queue for it (> 5 ms), which beside the trace's idle GPU
    // is what the host-side note used to fire on.
    const outputs = await runWasm('wasm-trace', 4, 32, ['--gpu-trace', H100_TRACE]);
    const step = outputs.report.steps[0]!;
    expect(step.gpu?.gpus[0]?.samples).toBeGreaterThan(0);
    expect(step.latencyMs.queue!.mean).toBeGreaterThan(5);
    expect(step.gpu?.notes).toEqual(['GPU 0: not used by the model (backend wasm)']);
    expect(outputs.md).toContain('- batch 1: GPU 0: not used by the model (backend wasm)');
    expect(outputs.md).not.toContain('holds the GPU back');
    expect(outputs.html).not.toContain('holds the GPU back');
    const evidence = expectVerdict(outputs, 'client-queue');
    expect(evidence.join(' ')).not.toMatch(/GPU/);
  }, 90_000);
});
