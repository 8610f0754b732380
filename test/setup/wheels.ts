/** Small real wheels (zip files) and a fake python for the setup tests: only what setup reads of them. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NativeStatus } from '../targets/inprocess/native/native-status.js';

export const PYTHON_STATUS: NativeStatus = (() => {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.status === 0
    ? { ready: true, packageDir: '', manifest: null as never }
    : { ready: false, reason: 'python3 is not on PATH (setup reads wheels with it)' };
})();

export function buildInfo(cuda: { cuda: string; cudnn: string } | null): string {
  const entries = cuda
    ? `('cuda_version', '${cuda.cuda}'), ('cudnn_version', '${cuda.cudnn}'), ('is_cuda_build', True), ('is_rocm_build', False)`
    : `('is_cuda_build', False), ('is_rocm_build', False), ('is_tensorrt_build', False)`;
  return `import collections\n\nbuild_info = collections.OrderedDict([${entries}])\n`;
}

/** The members a TensorFlow wheel has that setup uses, each a few bytes. */
export function tensorflowMembers(
  distribution: string,
  version: string,
  cuda: { cuda: string; cudnn: string } | null,
): Record<string, string> {
  return {
    [`${distribution}-${version}.dist-info/METADATA`]: `Metadata-Version: 2.1\nName: ${distribution}\nVersion: ${version}\nRequires-Dist: numpy\n\nTensorFlow\n`,
    'tensorflow/libtensorflow_cc.so.2': 'not really a library',
    'tensorflow/libtensorflow_framework.so.2': 'not really a library either',
    'tensorflow/include/tensorflow/c/c_api.h': '/* c_api */\n',
    'tensorflow/include/tensorflow/c/eager/c_api.h': '/* eager c_api */\n',
    'tensorflow/include/tsl/platform/ctstring.h': '/* tsl */\n',
    'tensorflow/include/xla/tsl/c/tsl_status.h': '/* xla tsl */\n',
    'tensorflow/include/absl/base/config.h': '/* not wanted */\n',
    'tensorflow/python/platform/build_info.py': buildInfo(cuda),
  };
}

export function writeWheel(path: string, members: Record<string, string>): string {
  mkdirSync(dirname(path), { recursive: true });
  const script =
    'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n    for name, text in json.loads(sys.argv[2]).items(): z.writestr(name, text)\n';
  const made = spawnSync('python3', ['-c', script, path, JSON.stringify(members)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`could not write ${path}: ${made.stderr}`);
  return path;
}

/** A `python` on PATH that prints `json` whatever it is asked (what FIND_TENSORFLOW would print). */
export function fakePython(binDir: string, json: unknown): string {
  mkdirSync(binDir, { recursive: true });
  const path = join(binDir, 'python-fake');
  writeFileSync(path, `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(json)}\nJSON\n`);
  chmodSync(path, 0o755);
  return path;
}
