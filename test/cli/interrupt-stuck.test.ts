/**
 * Interrupting a run whose requests are stuck at the server (built CLI, a node:http server on
 * 127.0.0.1 that never answers): SIGTERM ends the drain within ABORT_DRAIN_GRACE_MS, the stuck
 * items are counted as abandoned, every output is written marked partial and the CLI exits 143
 * within 5 s of the signal; a second signal exits at once.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ABORT_DRAIN_GRACE_MS } from '../../src/load/step-phases.js';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, startCli, type CliResult } from './cli-process.js';

const IN_FLIGHT = 4;
/** What the issue promises: a prompt partial report. */
const EXIT_WITHIN_MS = 5000;
const STACK_LINE = /^\s+at /m;

const schema = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** A server that takes every request and never answers; `stuck` counts the requests it holds. */
async function startStuckServer(): Promise<{ url: string; stuck: () => number; close: () => Promise<void> }> {
  const held: IncomingMessage[] = [];
  const server: Server = createServer((req) => void held.push(req));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stuck: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

/** Starts a run against a stuck server and resolves once IN_FLIGHT requests are held there. */
async function runUntilStuck(): Promise<{ outDir: string; child: ReturnType<typeof startCli>['child']; done: Promise<CliResult> }> {
  const server = await startStuckServer();
  closeServer = server.close;
  const dir = await mkdtemp(join(tmpdir(), 'pipebench-stuck-'));
  const workload = join(dir, 'stuck.yaml');
  await writeFile(
    workload,
    `name: stuck
corpus: { path: ${join(FIXTURES, 'prompts.jsonl')} }
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
  connections: ${IN_FLIGHT}
  health: false
warmup: { requests: 0 }
measure: { duration: 60s }
stability: false
stages: [{ stage: classify, concurrency: [${IN_FLIGHT}] }]
`,
  );
  const outDir = join(dir, 'out');
  const { child, done } = startCli(['run', workload, '--no-gpu', '--out', outDir]);
  const deadline = performance.now() + 60_000;
  while (server.stuck() < IN_FLIGHT) {
    if (performance.now() > deadline || child.exitCode !== null)
      throw new Error(`the requests never got stuck: ${JSON.stringify(await done)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { outDir, child, done };
}

describe('SIGTERM with requests stuck at the server (built binary)', () => {
  it('exits 143 within 5 s with every output written, partial, the stuck items counted as abandoned', async () => {
    const { outDir, child, done } = await runUntilStuck();
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const result = await done;
    const exitMs = performance.now() - signalledAt;
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(143);
    // The drain waits ABORT_DRAIN_GRACE_MS for the stuck requests, then the outputs are written.
    expect(exitMs).toBeGreaterThanOrEqual(ABORT_DRAIN_GRACE_MS);
    expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(await readdir(outDir)).toEqual(expect.arrayContaining(['report.json', 'report.md', 'junit.xml', 'steps.csv']));
    const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunReport;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ partial: true, interruptedBy: 'SIGTERM' });
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]).toMatchObject({ completed: 0, abandoned: IN_FLIGHT, errors: { total: 0 }, complete: false });
    const abandoned = `step 0 (classify batch 1): ${IN_FLIGHT} items still in flight after the drain that followed when the run was interrupted: abandoned`;
    expect(
      report.warnings.some((warning) => warning.startsWith(abandoned)),
      JSON.stringify(report.warnings),
    ).toBe(true);
  }, 120_000);

  it('a second signal exits at once, without waiting for the drain', async () => {
    const { child, done } = await runUntilStuck();
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(143);
    // Before the drain after the first signal could have ended.
    expect(performance.now() - signalledAt).toBeLessThan(ABORT_DRAIN_GRACE_MS);
  }, 120_000);
});
