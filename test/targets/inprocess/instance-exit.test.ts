import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import { createInProcessTarget } from '../../../src/targets/inprocess/create-target.js';

const classifier = { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } as const;
const texts = (n: number): string[] => Array.from({ length: n }, (_, i) => `item ${i}: summarise this long report about quarterly sales figures`);

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

// Real child processes (isolation 'process', the mode used for the native backends), on wasm.
describe('in-process target with child-process instances', () => {
  it('close() ends every child process', async () => {
    const target = await createInProcessTarget({ backend: 'wasm', instances: 2, isolation: 'process', models: { classify: classifier } });
    expect(target.backend.isolation).toBe('process');
    const pids = target.instanceIds.map((i) => i.pid);
    expect(pids).toHaveLength(2);
    expect(new Set([process.pid, ...pids]).size).toBe(3);
    expect(pids.every(processExists)).toBe(true);
    const [result] = await target.submitBatch('classify', texts(2), epochNowMs());
    expect(result?.ok).toBe(true);
    await target.close();
    expect(pids.filter(processExists)).toEqual([]);
    expect(target.instanceLosses).toEqual([]);
    expect(await target.submit('classify', 'after close', epochNowMs())).toMatchObject({ ok: false, errorClass: 'target_closed' });
  });

  it('a child killed mid-batch returns its items as worker_exit, and later items too once none is left', async () => {
    const target = await createInProcessTarget({ backend: 'wasm', instances: 1, isolation: 'process', models: { classify: classifier } });
    try {
      const pid = target.instanceIds[0]!.pid;
      const running = target.submitBatch('classify', texts(256), epochNowMs());
      const queued = target.submit('classify', 'waiting behind the big batch', epochNowMs());
      await new Promise((resolve) => setTimeout(resolve, 150));
      process.kill(pid, 'SIGKILL');
      const results = await running;
      expect(results).toHaveLength(256);
      expect(results.every((r) => !r.ok && r.errorClass === 'worker_exit' && r.batchSize === 256)).toBe(true);
      expect(await queued).toMatchObject({ ok: false, errorClass: 'worker_exit' });
      expect(target.instanceLosses).toEqual([{ index: 0, reason: expect.stringContaining('SIGKILL'), itemsLost: 256 }]);
      expect(await target.submit('classify', 'no instance left', epochNowMs())).toMatchObject({ ok: false, errorClass: 'worker_exit' });
      expect(processExists(pid)).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('close() during a batch returns its items as target_closed and still ends the child', async () => {
    const target = await createInProcessTarget({
      backend: 'wasm',
      instances: 1,
      isolation: 'process',
      closeGraceMs: 200,
      models: { classify: classifier },
    });
    const pid = target.instanceIds[0]!.pid;
    const running = target.submitBatch('classify', texts(128), epochNowMs());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await target.close();
    const results = await running;
    expect(results.every((r) => r.ok || r.errorClass === 'target_closed')).toBe(true);
    expect(processExists(pid)).toBe(false);
  });
});
