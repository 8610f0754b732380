import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TargetUnavailableError } from '../../../src/errors.js';
import { selectBackend, wasmDir } from '../../../src/targets/inprocess/backend.js';

// Neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed here, so the native
// candidates fail for real and the order and reasons are observable.
describe('selectBackend', () => {
  it('auto skips the native backends with their import errors and lands on wasm with SIMD', async () => {
    tf.enableProdMode();
    const selected = await selectBackend(tf, 'auto');
    expect(selected.name).toBe('wasm');
    expect(selected.package).toBe('@tensorflow/tfjs-backend-wasm');
    expect(selected.version).toMatch(/^4\.\d+\.\d+$/);
    expect(selected.threads).toBe(1);
    expect(selected.simd).toBe(true);
    expect(selected.gpu).toBe(false);
    expect(selected.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(selected.skipped[0]?.reason).toContain('@tensorflow/tfjs-node-gpu');
    expect(selected.skipped[1]?.reason).toContain('@tensorflow/tfjs-node');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a forced native backend that is absent is a TargetUnavailableError naming it and why', async () => {
    const attempt = selectBackend(tf, 'tensorflow');
    await expect(attempt).rejects.toBeInstanceOf(TargetUnavailableError);
    await expect(attempt).rejects.toThrow(/"tensorflow" is unavailable: tensorflow: .*@tensorflow\/tfjs-node/);
  });

  it('forced cpu runs the pure-JS backend and skips nothing', async () => {
    const selected = await selectBackend(tf, 'cpu');
    expect(selected).toMatchObject({ name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', gpu: false, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('finds the wasm files in the package dist/ unless PIPEBENCH_WASM_DIR overrides it', () => {
    expect(wasmDir({})).toMatch(/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist$/);
    expect(wasmDir({ PIPEBENCH_WASM_DIR: '/opt/bundle' })).toBe('/opt/bundle');
  });

  it('a forced wasm without its .wasm files says where it looked', async () => {
    await expect(selectBackend(tf, 'wasm', { wasmDir: '/nonexistent-dir' })).rejects.toThrow(
      /"wasm" is unavailable: wasm: tfjs-backend-wasm\.wasm not found in \/nonexistent-dir/,
    );
  });
});
