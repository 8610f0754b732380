import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFreePort } from '../../../src/targets/http/server-launch/free-port.js';
import { launchServer, ServerLaunchError, type LaunchOptions } from '../../../src/targets/http/server-launch/launch-server.js';
import { liveGroupIds } from '../../../src/telemetry/child-registry.js';
import { taggedPids as commandTagged } from '../../fixtures/servers/tagged.js';

const KNOWN = join(import.meta.dirname, '..', '..', 'fixtures', 'servers', 'known-batcher.mjs');
const TAG = `launch-test-${process.pid}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipebench-launch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const taggedPids = (): number[] => commandTagged(TAG);

async function options(maxBatch: number, faults: string, overrides: Partial<LaunchOptions> = {}): Promise<LaunchOptions> {
  const port = await pickFreePort();
  return {
    command: `${process.execPath} ${KNOWN} --port ${port} --max-batch ${maxBatch} --max-queue-delay-ms 0 --faults ${faults || 'none=none'} --tag ${TAG}`,
    healthUrl: `http://127.0.0.1:${port}/health`,
    logPath: join(dir, `batch-${maxBatch}.log`),
    readyTimeoutMs: 20_000,
    stopGraceMs: 1_000,
    env: process.env,
    passEnv: [],
    ...overrides,
  };
}

async function launchFailure(opts: LaunchOptions): Promise<ServerLaunchError> {
  try {
    const server = await launchServer(opts);
    await server.stop();
  } catch (error) {
    expect(error).toBeInstanceOf(ServerLaunchError);
    return error as ServerLaunchError;
  }
  throw new Error('expected the launch to fail');
}

describe('launchServer', () => {
  it('starts the command in its own group, waits for health, logs to its file, and stops it with SIGTERM leaving nothing', async () => {
    const opts = await options(4, '');
    const server = await launchServer(opts);
    expect(server.exitedWith()).toBeNull();
    const answer = await fetch(opts.healthUrl);
    expect(answer.status).toBe(200);
    expect(taggedPids().length).toBeGreaterThan(0);
    const stop = await server.stop();
    expect(stop.outcome).toBe('terminated');
    expect(taggedPids()).toEqual([]);
    expect(liveGroupIds()).not.toContain(server.pid);
    expect(await readFile(opts.logPath, 'utf8')).toContain('known-batcher listening on');
  }, 60_000);

  it('gives the command a clean environment: PATH and the names in passEnv, nothing else of ours', async () => {
    const logPath = join(dir, 'env.log');
    const opts = await options(1, '', {
      logPath,
      passEnv: ['PIPEBENCH_PASSED'],
      env: { ...process.env, PIPEBENCH_PASSED: 'yes', PIPEBENCH_SECRET_TOKEN: 's3cr3t-value' },
    });
    const server = await launchServer({ ...opts, command: `env; exec ${opts.command}` });
    await server.stop();
    const log = await readFile(logPath, 'utf8');
    expect(log).toContain('PIPEBENCH_PASSED=yes');
    expect(log).toMatch(/^PATH=/m);
    expect(log).not.toContain('s3cr3t-value');
    expect(log).not.toContain('PIPEBENCH_SECRET_TOKEN');
  }, 60_000);

  it('a server that exits at once: the error says how it exited and carries its last stderr lines', async () => {
    const error = await launchFailure(await options(2, '2=exit'));
    expect(error.reason).toMatch(/^server exited \(exit code 3\) before http:\/\/127\.0\.0\.1:\d+\/health answered 2xx$/);
    expect(error.logTail).toContain('known-batcher: fault exit: refusing to start with max batch 2');
    expect(error.message).toContain('last log lines: known-batcher: fault exit');
    expect(taggedPids()).toEqual([]);
  }, 60_000);

  it('a server that never becomes healthy: refused after the bounded wait, with its last answer and log, and stopped', async () => {
    const started = performance.now();
    const error = await launchFailure(await options(3, '3=never-healthy', { readyTimeoutMs: 1_500 }));
    const elapsedMs = performance.now() - started;
    expect(error.reason).toMatch(/did not answer 2xx within 1500 ms \(last: HTTP 503\)$/);
    expect(error.logTail).toContain('known-batcher: fault never-healthy: /health answers 503');
    // Bounded: the wait, one last probe, and the stop's grace; far less than a hang.
    expect(elapsedMs).toBeLessThan(1_500 + 2_000 + 1_000 + 5_000);
    expect(taggedPids()).toEqual([]);
  }, 60_000);

  it('a server that ignores SIGTERM: its group is killed after the grace, and nothing of it is left', async () => {
    const opts = await options(5, '5=ignore-sigterm', { stopGraceMs: 500 });
    const server = await launchServer(opts);
    const stop = await server.stop();
    expect(stop.outcome).toBe('killed');
    expect(taggedPids()).toEqual([]);
    expect(await readFile(opts.logPath, 'utf8')).toContain('known-batcher: ignoring SIGTERM');
  }, 60_000);
});
