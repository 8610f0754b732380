/**
 * Issue 12: nvidia-smi that lists a real GPU (index, uuid, name) but prints [N/A] for every metric
 * used to leave telemetry "ok" with no warning and every GPU column "-". That is partial telemetry:
 * one warning naming the fields. The built CLI with a fake nvidia-smi first on PATH
 * (test/fixtures/bin/all-na), benchmarking a real node:http server on 127.0.0.1.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { startFaultServer, type FaultServer } from '../fixtures/http/fault-server.js';
import { FIXTURES, runCli } from './cli-process.js';

const ALL_NA = join(import.meta.dirname, '..', 'fixtures', 'bin', 'all-na');
const FIELDS =
  'pstate, utilization.gpu, utilization.memory, memory.used, memory.total, power.draw, power.limit, temperature.gpu, ' +
  'clocks.current.sm, clocks.current.memory, clocks_event_reasons.active';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({ kind: 'json', body: '{"out": "ok"}' });
});
afterAll(async () => {
  await server.close();
});

describe('pipebench run with a GPU that reports [N/A] for every metric', () => {
  it('telemetry is partial, with one warning naming the fields, in report.json and on stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipebench-gpu-na-'));
    const workload = join(dir, 'gpu-na.yaml');
    await writeFile(
      workload,
      `name: gpu-na
corpus: { path: ${JSON.stringify(join(FIXTURES, 'prompts.jsonl'))} }
target:
  url: ${server.url}
  protocol: template
  template: { body: '{"text": {{text}}}', output: out }
warmup: { requests: 0 }
measure: { duration: 1s }
stability: false
stages: [{ stage: classify, concurrency: [1] }]
`,
    );
    const out = join(dir, 'out');
    const result = await runCli(['run', workload, '--out', out, '--gpu-interval', '50ms', '--quiet'], {
      PATH: `${ALL_NA}:${process.env['PATH'] ?? ''}`,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
    const telemetry = report.gpuTelemetry!;
    expect(telemetry.status).toBe('partial');
    expect(telemetry.samples).toBeGreaterThan(0);
    expect(telemetry.inventory?.gpus[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3' });
    // One warning, naming every field; a loaded machine may also have caught the fake's bash loop stalling.
    const warnings = report.warnings.filter((w) => w.startsWith('GPU telemetry'));
    expect(warnings).toHaveLength(1);
    const [warning] = warnings as [string];
    expect(warning).toMatch(
      /^GPU telemetry partial: (.+; )?no value in any of \d+ samples \(nvidia-smi printed \[N\/A\] or the like\) for /,
    );
    expect(warning.endsWith(` for ${FIELDS}`)).toBe(true);
    // Said once as it happened (stderr) and once in the summary (stdout).
    expect(result.stderr).toBe(`warning: ${warning}\n`);
    expect(result.stdout.split('\n').filter((line) => line.includes('GPU telemetry'))).toEqual([`  warning: ${warning}`]);
  }, 60_000);
});
