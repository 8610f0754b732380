/**
 * --workers through the built CLI: bad values and targets it cannot split are exit 2 naming the flag
 * or field; Ctrl-C with worker threads measuring still writes what they measured, and the process
 * exits on its own (no worker thread keeps it alive).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { FIXTURES, runCli, startCli, stderrShows } from './cli-process.js';

const STACK_LINE = /^\s+at /m;
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

let dir: string;
let server: Server;
let url: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipebench-workers-cli-'));
  cpSync(join(FIXTURES, 'prompts.jsonl'), join(dir, 'prompts.jsonl'));
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => setTimeout(() => response.end('{"label": "x"}'), 10));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function httpWorkload(name: string, load: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}
corpus: { path: prompts.jsonl }
target:
  url: ${url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: label }
load: ${load}
warmup: { requests: 4 }
measure: { duration: 30s, maxDuration: 60s }
stability: false
stages: [{ stage: classify, batchSizes: [1], concurrency: [4] }]
`,
  );
  return path;
}

describe('pipebench run --workers: bad input', () => {
  it('more than 1 for an in-process workload: exit 2 naming --workers and why', async () => {
    const result = await runCli(['run', join(FIXTURES, 'cli-tiny.yaml'), '--workers', '2', '--out', join(dir, 'inproc')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--workers: expected 1 for workload "[^"]+", which runs in process: worker threads split the load of HTTP targets only/,
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a value that is no count: exit 2 naming --workers and what it takes', async () => {
    const result = await runCli(['run', httpWorkload('zero', '{ workers: 1 }'), '--workers', '0', '--out', join(dir, 'zero')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workers: expected an integer from 1 to 64 or "auto" (cores - 1), got "0"');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('load.workers in a file: a bad value names the file and the field', async () => {
    const path = httpWorkload('bad-field', '{ workers: many }');
    const result = await runCli(['run', path, '--out', join(dir, 'bad-field')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('load.workers');
    expect(result.stderr).toContain('bad-field.yaml');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});

describe('pipebench run --workers: interrupted', () => {
  it('SIGINT while 2 workers measure: exit 130, report.json partial with what they measured, and the process ends by itself', async () => {
    const out = join(dir, 'interrupted');
    const { child, done } = startCli(['run', httpWorkload('sigint', '{ workers: 2 }'), '--no-gpu', '--no-server-metrics', '--out', out]);
    await stderrShows(child, /pipebench run .*writing/, 'the run started');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ partial: true, interruptedBy: 'SIGINT' });
    const step = report.steps[0]!;
    expect(step.complete).toBe(false);
    expect(step.measured).toBeGreaterThan(0);
    expect(step.windows.some((w) => typeof w.e2eHistogram === 'string')).toBe(true);
    // The worker threads were there while it measured (the main thread, libuv's pool, V8's and 2 workers').
    expect(threads).toBeGreaterThan(2);
  }, 90_000);
});
