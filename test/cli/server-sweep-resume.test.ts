/** --resume across server configurations: the configurations the interrupted run finished are kept, not launched again. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { taggedPids } from '../fixtures/servers/tagged.js';
import { runCli, startCli } from './cli-process.js';
import { sweepWorkload } from './server-sweep-workload.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipebench-server-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('--resume after Ctrl-C keeps the finished configurations and launches only the rest', async () => {
  const tag = `resume-${process.pid}`;
  const out = join(dir, 'out');
  const workload = join(dir, 'resume.yaml');
  await writeFile(workload, sweepWorkload({ tag, params: '{ maxBatchSize: [2, 4, 8, 16] }', concurrency: 8, search: false }));
  const first = startCli(['run', workload, '--out', out]);
  // Interrupt once the third configuration's server is launched: the first two are finished.
  await new Promise<void>((resolve) => {
    let seen = '';
    const look = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.includes('server maxBatchSize=8:')) resolve();
    };
    first.child.stdout!.on('data', look);
    first.child.stderr!.on('data', look);
  });
  first.child.kill('SIGINT');
  await first.done;
  const interrupted = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
  expect(interrupted.partial).toBe(true);
  const keptCommands = interrupted.serverSweep!.configurations.filter((c) => c.params.maxBatchSize! <= 4).map((c) => c.command);
  expect(keptCommands).toHaveLength(2);

  const resumed = await runCli(['run', workload, '--out', out, '--resume']);
  expect(resumed.stderr).not.toMatch(/\n\s+at /);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
  expect(report.partial).toBe(false);
  expect(report.resumedFrom?.stepsKept).toBe(2);
  const configs = report.serverSweep!.configurations;
  expect(configs.map((c) => [c.params.maxBatchSize, c.state])).toEqual([
    [2, 'measured'],
    [4, 'measured'],
    [8, 'measured'],
    [16, 'measured'],
  ]);
  // The kept ones are the interrupted run's (its port in their command line); only 8 and 16 were launched again.
  expect(configs.slice(0, 2).map((c) => c.command)).toEqual(keptCommands);
  expect(`${resumed.stdout}${resumed.stderr}`).not.toContain('server maxBatchSize=2:');
  expect(`${resumed.stdout}${resumed.stderr}`).toContain('server maxBatchSize=8:');
  expect(report.steps.map((s) => [s.index, s.serverConfig?.maxBatchSize])).toEqual([
    [0, 2],
    [1, 4],
    [2, 8],
    [3, 16],
  ]);
  expect(taggedPids(tag)).toEqual([]);
}, 240_000);
