import { describe, expect, it } from 'vitest';
import { epochNowMs } from '../../../src/core/clock.js';
import type { BackendChoice } from '../../../src/core/workload.js';
import { createInProcessTarget } from '../../../src/targets/inprocess/create-target.js';
import { describeWhenReady, nativeStatus } from './native/native-status.js';

const classifier = { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } as const;
const texts = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `item ${i}: summarise this long report about quarterly sales figures`);

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Real child processes (isolation 'process', the mode the native backends use): on wasm everywhere,
 * and on the native backend where `pipebench setup native` built it.
 */
function childProcessTests(backend: BackendChoice): void {
  it('close() ends every child process', async () => {
    const target = await createInProcessTarget({ backend, instances: 2, isolation: 'process', models: { classify: classifier } });
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
    // A batch that takes far longer than the 150 ms before the kill (native TensorFlow is ~5x wasm at batch 32).
    const size = backend === 'wasm' ? 256 : 2048;
    const target = await createInProcessTarget({ backend, instances: 1, isolation: 'process', models: { classify: classifier } });
    try {
      await target.configure('classify', { maxBatchSize: size, maxQueueDelayMs: 0, maxNewTokens: 1 });
      const pid = target.instanceIds[0]!.pid;
      const running = target.submitBatch('classify', texts(size), epochNowMs());
      const queued = target.submit('classify', 'waiting behind the big batch', epochNowMs());
      await new Promise((resolve) => setTimeout(resolve, 150));
      process.kill(pid, 'SIGKILL');
      const results = await running;
      expect(results).toHaveLength(size);
      expect(results.every((r) => !r.ok && r.errorClass === 'worker_exit' && r.batchSize === size)).toBe(true);
      expect(await queued).toMatchObject({ ok: false, errorClass: 'worker_exit' });
      // The reason is how it ended, never a line TensorFlow printed at start-up.
      expect(target.instanceLosses).toEqual([{ index: 0, reason: `child process ${pid} was killed by SIGKILL`, itemsLost: size }]);
      expect(await target.submit('classify', 'no instance left', epochNowMs())).toMatchObject({ ok: false, errorClass: 'worker_exit' });
      expect(processExists(pid)).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('close() during a batch returns its items as target_closed and still ends the child', async () => {
    const target = await createInProcessTarget({
      backend,
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
}

describe('in-process target with child-process instances, wasm', () => childProcessTests('wasm'));
describeWhenReady(nativeStatus(), 'in-process target with child-process instances, native TensorFlow', () =>
  childProcessTests('tensorflow'),
);
