import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath, readManifest, type NativeManifest } from '../../../../src/targets/inprocess/native/manifest.js';
import { nativeInfo, noGpuHint } from '../../../../src/targets/inprocess/native/native-info.js';

const manifest: NativeManifest = {
  formatVersion: 1,
  backend: 'tensorflow-gpu',
  package: '@tensorflow/tfjs-node-gpu',
  packageVersion: '4.22.0',
  tensorflow: { version: '2.21.0', distribution: 'tensorflow', cudaBuild: true, cudaVersion: '12.5.1', cudnnVersion: '9' },
  source: {
    kind: 'python',
    description: 'tensorflow 2.21.0 installed for Python 3.12.3 (/venv/tensorflow)',
    key: 'python:/venv/tensorflow:2.21.0',
    flags: ['--from-python', 'python3'],
  },
  libraryPath: ['/venv/nvidia/cudnn/lib', '/venv/nvidia/cublas/lib'],
  node: { version: 'v20.20.2', napi: '9' },
  libraryBytes: 1,
  unstrippedBytes: 2,
  builtAt: '2026-12-05T00:00:00.000Z',
};

describe('what a native backend is built on', () => {
  it('says why tensorflow-gpu found no GPU in terms of the library actually built (not CUDA 11.2 / cuDNN 8.1)', () => {
    expect(noGpuHint(manifest)).toBe(
      'TensorFlow 2.21.0 needs an NVIDIA driver and the CUDA 12.5.1 and cuDNN 9 libraries it was built for; the library path setup recorded: /venv/nvidia/cudnn/lib:/venv/nvidia/cublas/lib',
    );
    expect(
      noGpuHint({
        ...manifest,
        tensorflow: { ...manifest.tensorflow, distribution: 'tensorflow-cpu', cudaBuild: false, cudaVersion: null, cudnnVersion: null },
      }),
    ).toBe(
      'it was built against a CPU-only TensorFlow (tensorflow-cpu 2.21.0); run `pipebench setup native --gpu` with a GPU build of TensorFlow',
    );
    expect(noGpuHint(null)).toBe(
      'its TensorFlow library was not built by `pipebench setup native --gpu`, so what CUDA it needs is unknown',
    );
  });

  it('reads the manifest setup left, and without one knows only the binding version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-manifest-'));
    expect(readManifest(dir)).toBeNull();
    expect(nativeInfo(dir, '2.21.0')).toEqual({
      tensorflowVersion: '2.21.0',
      cudaBuild: null,
      cudaVersion: null,
      cudnnVersion: null,
      devices: null,
      builtFrom: null,
    });
    mkdirSync(join(dir, 'deps'));
    writeFileSync(join(dir, 'deps', 'pipebench-native.json'), JSON.stringify(manifest));
    expect(nativeInfo(dir, null)).toEqual({
      tensorflowVersion: '2.21.0',
      cudaBuild: true,
      cudaVersion: '12.5.1',
      cudnnVersion: '9',
      devices: null,
      builtFrom: 'pipebench setup native from tensorflow 2.21.0 installed for Python 3.12.3 (/venv/tensorflow)',
    });
    writeFileSync(join(dir, 'deps', 'pipebench-native.json'), '{ "formatVersion": 2 }');
    expect(readManifest(dir)).toBeNull();
  });

  it('finds the addon where node-pre-gyp puts it: the highest N-API version the package lists that this Node has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipebench-addon-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ binary: { module_path: './lib/napi-v{napi_build_version}', napi_versions: [3, 4, 5, 6, 7, 8] } }),
    );
    expect(addonPath(dir, 9)).toBe(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'));
    expect(addonPath(dir, 6)).toBe(join(dir, 'lib', 'napi-v6', 'tfjs_binding.node'));
  });
});
