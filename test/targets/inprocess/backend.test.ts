import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TargetUnavailableError } from '../../../src/errors.js';
import { selectBackend, wasmDir } from '../../../src/targets/inprocess/backend.js';

// The native candidates resolve from a folder with no node_modules (absent) or with the real
// package.json but no addon (installed, not built), so their order and reasons are observable
// whether or not `pipebench setup native` ran on this machine.
const nowhere = mkdtempSync(join(tmpdir(), 'pipebench-no-native-'));
const unbuilt = mkdtempSync(join(tmpdir(), 'pipebench-unbuilt-native-'));
for (const name of ['tfjs-node', 'tfjs-node-gpu']) {
  const dir = join(unbuilt, 'node_modules', '@tensorflow', name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(import.meta.dirname, '..', '..', 'fixtures', 'native', `${name}.package.json`), join(dir, 'package.json'));
}

describe('selectBackend', () => {
  it('auto without the native packages skips them, saying how to get them, and lands on wasm with SIMD', async () => {
    tf.enableProdMode();
    const selected = await selectBackend(tf, 'auto', { packagesFrom: nowhere });
    expect(selected.name).toBe('wasm');
    expect(selected.package).toBe('@tensorflow/tfjs-backend-wasm');
    expect(selected.version).toMatch(/^4\.\d+\.\d+$/);
    expect(selected.threads).toBe(1);
    expect(selected.simd).toBe(true);
    expect(selected.gpu).toBe(false);
    expect(selected.native).toBeUndefined();
    expect(selected.skipped).toEqual([
      {
        backend: 'tensorflow-gpu',
        reason: '@tensorflow/tfjs-node-gpu is not installed (an optional dependency: run `pipebench setup native --gpu`)',
      },
      { backend: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed (an optional dependency: run `pipebench setup native`)' },
    ]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a native package installed without its addon (what npm install --ignore-scripts leaves) is told apart from an absent one', async () => {
    const selected = await selectBackend(tf, 'auto', { packagesFrom: unbuilt });
    expect(selected.name).toBe('wasm');
    expect(selected.skipped.map((s) => s.reason)).toEqual([
      '@tensorflow/tfjs-node-gpu is installed but its native addon is not built (run `pipebench setup native --gpu`)',
      '@tensorflow/tfjs-node is installed but its native addon is not built (run `pipebench setup native`)',
    ]);
  });

  it('a forced native backend that is absent is a TargetUnavailableError naming it and why', async () => {
    const attempt = selectBackend(tf, 'tensorflow', { packagesFrom: nowhere });
    await expect(attempt).rejects.toBeInstanceOf(TargetUnavailableError);
    await expect(attempt).rejects.toThrow(/"tensorflow" is unavailable: tensorflow: @tensorflow\/tfjs-node is not installed/);
  });

  it('forced cpu runs the pure-JS backend (its matmul check included) and skips nothing', async () => {
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
