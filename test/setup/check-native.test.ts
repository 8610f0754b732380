import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNative } from '../../src/setup/check-native.js';

const verify = { allowNoGpu: false, cacheDir: '/tmp/pipebench-test-cache' };

describe('setup native --check, in a project of its own', () => {
  it('not ready when the package is absent, or installed without its addon, with what to run', async () => {
    const project = mkdtempSync(join(tmpdir(), 'pipebench-check-'));
    expect(await checkNative(false, project, verify)).toEqual({
      ready: false,
      problem: '@tensorflow/tfjs-node is not installed',
      fix: 'run pipebench setup native',
    });
    const dir = join(project, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    mkdirSync(dir, { recursive: true });
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'native', 'tfjs-node-gpu.package.json'), join(dir, 'package.json'));
    expect(await checkNative(true, project, verify)).toEqual({
      ready: false,
      problem: '@tensorflow/tfjs-node-gpu is installed but its native addon is not built',
      fix: 'run pipebench setup native --gpu',
    });
  });
});
