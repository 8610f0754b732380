/**
 * Issue 12: an input error found only after start-up used to exit 2 after writing a full set of
 * empty outputs (a junit.xml with tests="0" failures="0"), or lose to "not reachable" when the
 * target was down. Every input is now checked before any health check, model load or output:
 * exit 2, one line naming the flag or field, no request sent, and no --out folder made.
 * The built CLI against a real node:http server on 127.0.0.1, and against a port nobody listens on.
 */
import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../fixtures/http/fault-server.js';
import { runCli } from './cli-process.js';

let up: FaultServer;
let downUrl: string;
let dir: string;
let garbageTrace: string;

beforeAll(async () => {
  up = await startFaultServer({ kind: 'json', body: '{"status": "healthy"}' });
  const gone = await startFaultServer({ kind: 'json', body: '{}' });
  await gone.close(); // its port now has nothing listening
  downUrl = gone.url;
  dir = await mkdtemp(join(tmpdir(), 'pipebench-inputs-'));
  garbageTrace = join(dir, 'garbage.csv');
  await writeFile(garbageTrace, 'this is, not a trace\n\u0000\u0001 binary junk\n');
  await writeFile(join(dir, 'a-file'), 'not a folder');
});

afterAll(async () => {
  await up.close();
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** [case, flags, the one stderr line]: each must win whether the target is up or down. */
const CASES: readonly (readonly [string, (out: string) => string[], (out: string) => string])[] = [
  [
    'a --gpu-trace that does not exist',
    () => ['--stage', 'classify', '--gpu-trace', join(dir, 'missing.csv')],
    () =>
      `pipebench: --gpu-trace: cannot read GPU trace ${join(dir, 'missing.csv')}: ENOENT: no such file or directory, open '${join(dir, 'missing.csv')}'`,
  ],
  [
    'a garbage --gpu-trace',
    () => ['--stage', 'classify', '--gpu-trace', garbageTrace],
    () => `pipebench: --gpu-trace: ${garbageTrace} has no timestamp column to replay by (record with --query-gpu=timestamp,...)`,
  ],
  [
    'a batch size the betterprompts pipeline route cannot send (one text per request)',
    () => ['--stage', 'pipeline', '--batch-sizes', '1,4'],
    () =>
      'pipebench: stages[pipeline].batchSizes: batch size 4 is more than the betterprompts protocol can send in one pipeline request (at most 1)',
  ],
  [
    'an --out folder under a file',
    () => ['--stage', 'classify'],
    (out) => `pipebench: ${out}: cannot create the report folder: ${join(dir, 'a-file')} is not a folder`,
  ],
];

describe('pipebench run refuses bad input before anything starts', () => {
  for (const [what, flags, message] of CASES) {
    it.each([['up'], ['down']])(
      `${what}, target %s: exit 2, the input named, no request, no outputs`,
      async (state) => {
        const url = state === 'up' ? up.url : downUrl;
        const out = what.startsWith('an --out') ? join(dir, 'a-file', 'out') : join(dir, `out-${state}-${what.length}`);
        const before = up.requests;
        const result = await runCli(['run', '--target', url, ...flags(out), '--requests', '4', '--out', out]);
        expect(result.stderr).toBe(`${message(out)}\n`);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(up.requests).toBe(before); // not even the health check
        expect(await exists(out)).toBe(false);
      },
      30_000,
    );
  }
});
