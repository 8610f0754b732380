/**
 * The native backend for real: @tensorflow/tfjs-node as `pipebench setup native` built it against
 * TensorFlow's C library. Backend selection, child-process instances, a crashed child's items, and
 * what the report learns about the library. Skipped where setup never ran; required in CI.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { epochNowMs } from '../../../../src/metrics/clock.js';
import { selectBackend } from '../../../../src/targets/inprocess/backend.js';
import { createInProcessTarget } from '../../../../src/targets/inprocess/target.js';
import { describeWhenReady, nativeStatus } from './native-status.js';

const status = nativeStatus();
// This file loads TensorFlow in the test process too: as quiet as the model instances.
process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
const classifier = { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } as const;
const texts = (n: number): string[] => Array.from({ length: n }, (_, i) => `item ${i}: write a short story about a lighthouse keeper and the sea`);
const mixed = [
  'write a haiku about the first snow of autumn',
  'sort this list of numbers in python',
  'summarise the quarterly sales report for the board',
  'translate good morning into french',
  'explain how a transformer attention layer works',
  'plan a three day trip to lisbon on a budget',
];

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeWhenReady(status, 'native TensorFlow backend', () => {
  const manifest = status.ready ? status.manifest : null;

  it('forced tensorflow runs the addon and reports the C library under it and the devices it sees', async () => {
    const selected = await selectBackend(tf, 'tensorflow');
    expect(selected).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node', version: tf.version_core, gpu: false, threads: null, simd: null, skipped: [] });
    expect(selected.native).toEqual({
      tensorflowVersion: manifest!.tensorflow.version,
      cudaBuild: manifest!.tensorflow.cudaBuild,
      cudaVersion: manifest!.tensorflow.cudaVersion,
      cudnnVersion: manifest!.tensorflow.cudnnVersion,
      devices: expect.arrayContaining([{ name: '/job:localhost/replica:0/task:0/device:CPU:0', type: 'CPU', memoryBytes: expect.any(Number) }]),
      builtFrom: `pipebench setup native from ${manifest!.source.description}`,
    });
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await product.data())).toEqual([11]);
    product.dispose();
  });

  it('auto picks the native backend, in child processes, and classifies as the wasm backend does', async () => {
    const native = await createInProcessTarget({ backend: 'auto', instances: 2, models: { classify: classifier } });
    const wasm = await createInProcessTarget({ backend: 'wasm', instances: 1, models: { classify: classifier } });
    try {
      expect(native.backend).toMatchObject({ name: 'tensorflow', isolation: 'process', instances: 2 });
      expect(native.backend.package).toMatch(/^@tensorflow\/tfjs-node(-gpu)?$/);
      expect(native.backend.native?.tensorflowVersion).toBe(manifest!.tensorflow.version);
      const pids = native.instanceIds.map((i) => i.pid);
      expect(new Set([process.pid, ...pids]).size).toBe(3);
      for (const target of [native, wasm]) await target.configure('classify', { maxBatchSize: mixed.length, maxQueueDelayMs: 0, maxNewTokens: 1 });
      const [fromNative, fromWasm] = await Promise.all([native.infer('classify', mixed), wasm.infer('classify', mixed)]);
      const answer = (outcome: (typeof fromNative)[number]) => (outcome.output?.kind === 'classify' ? outcome.output : null);
      expect(fromNative.map((o) => answer(o)?.intent)).toEqual(fromWasm.map((o) => answer(o)?.intent));
      fromNative.forEach((o, i) => expect(answer(o)!.confidence).toBeCloseTo(answer(fromWasm[i]!)!.confidence, 3));
    } finally {
      await Promise.all([native.close(), wasm.close()]);
    }
  });

  it('a native child killed mid-batch returns its items as worker_exit, and its reason is not TensorFlow start-up noise', async () => {
    const target = await createInProcessTarget({ backend: 'tensorflow', instances: 1, models: { classify: classifier } });
    try {
      expect(target.backend.isolation).toBe('process');
      const pid = target.instanceIds[0]!.pid;
      await target.configure('classify', { maxBatchSize: 1024, maxQueueDelayMs: 0, maxNewTokens: 1 });
      const running = target.submitBatch('classify', texts(1024), epochNowMs());
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(pid, 'SIGKILL');
      const results = await running;
      expect(results.every((r) => !r.ok && r.errorClass === 'worker_exit' && r.batchSize === 1024)).toBe(true);
      const [loss] = target.instanceLosses;
      expect(loss).toMatchObject({ index: 0, itemsLost: 1024 });
      expect(loss!.reason).toMatch(new RegExp(`^child process ${pid} was killed by SIGKILL$`));
      expect(processExists(pid)).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('close() ends every native child process', async () => {
    const target = await createInProcessTarget({ backend: 'tensorflow', instances: 2, models: { classify: classifier } });
    const pids = target.instanceIds.map((i) => i.pid);
    expect(pids.every(processExists)).toBe(true);
    const [result] = await target.submitBatch('classify', texts(2), epochNowMs());
    expect(result?.ok).toBe(true);
    await target.close();
    expect(pids.filter(processExists)).toEqual([]);
    expect(target.instanceLosses).toEqual([]);
  });
});
