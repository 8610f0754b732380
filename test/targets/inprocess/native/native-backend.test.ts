/**
 * The native backend for real: @tensorflow/tfjs-node as `pipebench setup native` built it against
 * TensorFlow's C library. Backend selection, child-process instances and what the report learns
 * about the library (a crashed or closed native child: instance-exit.test.ts runs its tests on it
 * too). Skipped where setup never ran; required in CI.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { selectBackend } from '../../../../src/targets/inprocess/backend.js';
import { createInProcessTarget } from '../../../../src/targets/inprocess/create-target.js';
import { describeWhenReady, nativeStatus } from './native-status.js';

const status = nativeStatus();
// This file loads TensorFlow in the test process too: as quiet as the model instances.
process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
const classifier = { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '/tmp/pipebench-test-cache' } as const;
const mixed = [
  'write a haiku about the first snow of autumn',
  'sort this list of numbers in python',
  'summarise the quarterly sales report for the board',
  'translate good morning into french',
  'explain how a transformer attention layer works',
  'plan a three day trip to lisbon on a budget',
];

describeWhenReady(status, 'native TensorFlow backend', () => {
  const manifest = status.ready ? status.manifest : null;

  it('forced tensorflow runs the addon and reports the C library under it and the devices it sees', async () => {
    const selected = await selectBackend(tf, 'tensorflow');
    expect(selected).toMatchObject({
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node',
      version: tf.version_core,
      gpu: false,
      threads: null,
      simd: null,
      skipped: [],
    });
    expect(selected.native).toEqual({
      tensorflowVersion: manifest!.tensorflow.version,
      cudaBuild: manifest!.tensorflow.cudaBuild,
      cudaVersion: manifest!.tensorflow.cudaVersion,
      cudnnVersion: manifest!.tensorflow.cudnnVersion,
      devices: expect.arrayContaining([
        { name: '/job:localhost/replica:0/task:0/device:CPU:0', type: 'CPU', memoryBytes: expect.any(Number) },
      ]),
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
      for (const target of [native, wasm])
        await target.configure('classify', { maxBatchSize: mixed.length, maxQueueDelayMs: 0, maxNewTokens: 1 });
      const [fromNative, fromWasm] = await Promise.all([native.infer('classify', mixed), wasm.infer('classify', mixed)]);
      const answer = (outcome: (typeof fromNative)[number]) => (outcome.output?.kind === 'classify' ? outcome.output : null);
      expect(fromNative.map((o) => answer(o)?.intent)).toEqual(fromWasm.map((o) => answer(o)?.intent));
      fromNative.forEach((o, i) => expect(answer(o)!.confidence).toBeCloseTo(answer(fromWasm[i]!)!.confidence, 3));
    } finally {
      await Promise.all([native.close(), wasm.close()]);
    }
  });
});
