/**
 * Issue 12: a run whose every request fails ran every planned step. It is complete (not partial),
 * its budget is breached by the error rate (exit 1), and every output says so the same way:
 * stdout, report.md, report.json and junit.xml (where the error-rate check is a <failure>).
 * Real node:http servers on 127.0.0.1 that fail every request, and the built CLI.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { startFaultServer, type Behaviour, type FaultServer } from '../fixtures/http/fault-server.js';
import { childrenNamed, parseXml } from '../report/xml-tree.js';
import { FIXTURES, runCli } from './cli-process.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Two classify steps (batch 1 and 4) of 8 measured items each, no health check: every request reaches the fault. */
async function workloadFor(url: string, dir: string): Promise<string> {
  const path = join(dir, 'all-failed.yaml');
  await writeFile(
    path,
    `name: all-failed
corpus: { path: ${JSON.stringify(join(FIXTURES, 'prompts.jsonl'))} }
target: { url: ${url}, health: false, timeouts: { headers: 2s, body: 2s } }
warmup: { requests: 0 }
measure: { requests: 8 }
stability: false
stages: [{ stage: classify, concurrency: [1], batchSizes: [1, 4] }]
`,
  );
  return path;
}

const FAULTS: readonly (readonly [string, Behaviour, string])[] = [
  ['answers 500 to everything', { kind: 'status', status: 500 }, 'http_5xx'],
  ['resets every connection', { kind: 'reset' }, 'connection_reset'],
  ['answers malformed bodies', { kind: 'malformed' }, 'malformed_body'],
];

describe('pipebench run against a server where every request fails', () => {
  it.each(FAULTS)(
    'a server that %s: complete, exit 1 on the error rate, and every output agrees',
    async (_what, behaviour, errorClass) => {
      server = await startFaultServer(behaviour);
      const dir = await mkdtemp(join(tmpdir(), 'pipebench-all-failed-'));
      const out = join(dir, 'out');
      const result = await runCli(['run', await workloadFor(server.url, dir), '--out', out, '--no-gpu', '--quiet']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      expect(server.requests).toBeGreaterThan(0);

      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(report.partial).toBe(false);
      expect(report.interruptedBy).toBeNull();
      expect(report.budgetMet).toBe(false);
      expect(report.steps.map((s) => [s.batchSize, s.complete, s.completed, s.errors.rate])).toEqual([
        [1, true, 0, 1],
        [4, true, 0, 1],
      ]);
      for (const step of report.steps) expect(Object.keys(step.errors.byClass)).toEqual([errorClass]);
      expect(report.warnings.some((w) => w.includes('did not complete'))).toBe(false);

      const reason = 'no batch size met the budget: no item succeeded (error rate 100 % at batch 1, 4; budget 1 %)';
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(/^run \S+: complete; budget NOT met$/);
      expect(lines[1]).toBe(`  classify: ${reason}`);
      expect(result.stdout).not.toContain('partial');

      const md = await readFile(join(out, 'report.md'), 'utf8');
      expect(md).toContain('- Run: complete\n');
      expect(md).not.toContain('Partial results');
      expect(md).toContain(`**Recommendation:** ${reason}.`);

      const junit = parseXml(await readFile(join(out, 'junit.xml'), 'utf8'));
      expect([junit.attrs['tests'], junit.attrs['failures'], junit.attrs['skipped']]).toEqual(['6', '6', '0']);
      const cases = childrenNamed(childrenNamed(junit, 'testsuite')[0]!, 'testcase');
      const errorRate = cases.filter((c) => c.attrs['name']!.endsWith(': error rate <= 1 %'));
      expect(errorRate.map((c) => childrenNamed(c, 'failure')[0]?.attrs['message'])).toEqual([
        `error rate 100 % > 1 % (${report.steps[0]!.errors.total} failed items)`,
        `error rate 100 % > 1 % (${report.steps[1]!.errors.total} failed items)`,
      ]);
    },
    60_000,
  );
});
