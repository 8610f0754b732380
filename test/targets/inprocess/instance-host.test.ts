import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, TargetUnavailableError } from '../../../src/errors.js';
import { instanceEntryPath, resolveIsolation } from '../../../src/targets/inprocess/channel.js';
import { InstanceHost } from '../../../src/targets/inprocess/instance-host.js';
import { createInProcessTarget } from '../../../src/targets/inprocess/create-target.js';
import type { DoneMessage, FailedMessage } from '../../../src/targets/inprocess/protocol.js';

const classifier = { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } as const;

describe('isolation and entry', () => {
  it('auto isolates native backends in processes and wasm/cpu in worker threads', () => {
    expect(resolveIsolation('tensorflow-gpu', 'auto')).toBe('process');
    expect(resolveIsolation('tensorflow', 'auto')).toBe('process');
    expect(resolveIsolation('wasm', 'auto')).toBe('worker');
    expect(resolveIsolation('cpu', 'auto')).toBe('worker');
    expect(resolveIsolation('auto', 'auto', () => false)).toBe('worker');
    expect(resolveIsolation('auto', 'auto', (name) => name === '@tensorflow/tfjs-node')).toBe('process');
    expect(resolveIsolation('auto', 'auto', (name) => name === '@tensorflow/tfjs-node-gpu')).toBe('process');
    expect(resolveIsolation('wasm', 'process')).toBe('process');
  });

  it('runs the instance from dist/ even when the host runs from src/*.ts', () => {
    expect(instanceEntryPath('file:///repo/src/targets/inprocess/channel.ts')).toBe('/repo/dist/targets/inprocess/instance-main.js');
    expect(instanceEntryPath('file:///repo/dist/targets/inprocess/channel.js')).toBe('/repo/dist/targets/inprocess/instance-main.js');
  });
});

describe('instance start-up and exit', () => {
  it('a worker thread terminated mid-batch reports its exit and never its result', async () => {
    const results: (DoneMessage | FailedMessage)[] = [];
    let exitReason: string | undefined;
    const exited = new Promise<void>((resolve) => {
      void InstanceHost.start({
        index: 0,
        isolation: 'worker',
        backend: 'wasm',
        models: { classify: classifier },
        events: {
          onResult: (_, message) => results.push(message),
          onExit: (_, reason) => {
            exitReason = reason;
            resolve();
          },
        },
      }).then(({ host }) => {
        host.run({ kind: 'run', id: 1, task: 'classify', inputs: Array.from({ length: 256 }, (_, i) => `text number ${i}`) });
        setTimeout(() => void host.kill(), 100);
      });
    });
    await exited;
    expect(results).toEqual([]);
    expect(exitReason).toMatch(/worker thread exited with code/);
  });

  it('a forced backend that cannot start fails the target with the instance reason', async () => {
    // The child inherits the environment: its wasm backend looks for the .wasm files where there are none.
    process.env['PIPEBENCH_WASM_DIR'] = '/nonexistent-wasm-dir';
    try {
      const attempt = createInProcessTarget({ backend: 'wasm', instances: 1, isolation: 'process', models: {} });
      await expect(attempt).rejects.toBeInstanceOf(TargetUnavailableError);
      await expect(attempt).rejects.toThrow(
        /model instance 0 \(process\): TF\.js backend "wasm" is unavailable: wasm: tfjs-backend-wasm\.wasm not found in \/nonexistent-wasm-dir/,
      );
    } finally {
      delete process.env['PIPEBENCH_WASM_DIR'];
    }
  });

  it('a model folder that does not load is an InputError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-badmodel-'));
    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    const attempt = createInProcessTarget({ backend: 'wasm', instances: 1, models: { classify: { kind: 'dir', dir } } });
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toThrow(dir);
  });
});
