import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { pythonSource, wheelSource, type LocateContext } from '../../src/setup/library-source.js';
import { SetupError } from '../../src/setup/setup-error.js';
import { describeWhenReady } from '../targets/inprocess/native/native-status.js';
import { fakePython, PYTHON_STATUS, tensorflowMembers, writeWheel } from './wheels.js';

const dir = mkdtempSync(join(tmpdir(), 'pipebench-wheels-'));
const host = { os: 'linux', arch: 'x86_64', glibc: '2.36' };
const cpu: LocateContext = { env: process.env, python: 'python3', gpu: false, host };
const gpu: LocateContext = { ...cpu, gpu: true };

async function failure(attempt: Promise<unknown>): Promise<SetupError> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SetupError);
  return error as SetupError;
}

it('a wheel that is missing, misnamed or for another platform is bad input (exit 2), before anything is read', async () => {
  const missing = await failure(wheelSource(join(dir, 'nope', 'tensorflow-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'), cpu));
  expect(missing.exitCode).toBe(ExitCode.badInput);
  expect(missing.message).toMatch(
    /^setup native: step "locate" failed: --from-wheel: \S+nope\S+ does not exist; give a TensorFlow wheel for Linux/,
  );
  writeFileSync(join(dir, 'tensorflow.zip'), 'x');
  expect((await failure(wheelSource(join(dir, 'tensorflow.zip'), cpu))).message).toContain(
    'tensorflow.zip is not a wheel file name (name-version-python-abi-platform.whl)',
  );
  const mac = join(dir, 'tensorflow-2.21.0-cp311-cp311-macosx_12_0_arm64.whl');
  writeFileSync(mac, 'never read');
  const other = await failure(wheelSource(mac, cpu));
  expect(other.exitCode).toBe(ExitCode.badInput);
  expect(other.message).toContain(
    'tensorflow-2.21.0-cp311-cp311-macosx_12_0_arm64.whl is a wheel for another platform (platform tag macosx_12_0_arm64 is not Linux)',
  );
});

describeWhenReady(PYTHON_STATUS, 'wheels and Python installs, read with python3', () => {
  it('a wheel of something else, or without the C headers, is refused naming what it lacks', async () => {
    const numpy = writeWheel(join(dir, 'numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl'), {
      'numpy-1.26.4.dist-info/METADATA': 'Name: numpy\nVersion: 1.26.4\n',
    });
    const notTf = await failure(wheelSource(numpy, cpu));
    expect(notTf.exitCode).toBe(ExitCode.badInput);
    expect(notTf.message).toContain(
      'holds no tensorflow/libtensorflow_cc.so.2 or tensorflow/libtensorflow_framework.so.2 (not a TensorFlow 2.x wheel for Linux)',
    );
    const members = tensorflowMembers('tensorflow_cpu', '2.21.0', null);
    delete members['tensorflow/include/tensorflow/c/eager/c_api.h'];
    const headless = writeWheel(join(dir, 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'), members);
    expect((await failure(wheelSource(headless, cpu))).message).toContain(
      "lacks TensorFlow's C headers (tensorflow/include/tensorflow/c/eager/c_api.h)",
    );
    writeFileSync(join(dir, 'broken-1.0-cp311-cp311-linux_x86_64.whl'), 'not a zip');
    expect((await failure(wheelSource(join(dir, 'broken-1.0-cp311-cp311-linux_x86_64.whl'), cpu))).message).toContain(
      'is not a readable zip file',
    );
  });

  it('a GPU wheel: its CUDA build from build_info.py; only the libraries and the C API header folders are copied', async () => {
    const wheel = writeWheel(
      join(dir, 'tensorflow-2.21.0-cp312-cp312-manylinux_2_27_x86_64.whl'),
      tensorflowMembers('tensorflow', '2.21.0', { cuda: '12.5.1', cudnn: '9' }),
    );
    const source = await wheelSource(wheel, gpu);
    expect(source).toMatchObject({
      kind: 'wheel',
      description: 'tensorflow-2.21.0-cp312-cp312-manylinux_2_27_x86_64.whl',
      libraryPath: [],
    });
    expect(source.build).toEqual({
      version: '2.21.0',
      distribution: 'tensorflow',
      cudaBuild: true,
      cudaVersion: '12.5.1',
      cudnnVersion: '9',
    });
    expect(source.key).toMatch(/^wheel:.*tensorflow-2\.21\.0-cp312.*\.whl:\d+:\d+$/);
    const deps = join(dir, 'deps-gpu');
    await source.copyInto(deps);
    expect(readFileSync(join(deps, 'lib', 'libtensorflow_cc.so.2'), 'utf8')).toBe('not really a library');
    expect(existsSync(join(deps, 'lib', 'libtensorflow_framework.so.2'))).toBe(true);
    for (const header of ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h', 'tsl/platform/ctstring.h', 'xla/tsl/c/tsl_status.h']) {
      expect(existsSync(join(deps, 'include', header)), header).toBe(true);
    }
    expect(existsSync(join(deps, 'include', 'absl'))).toBe(false);
  });

  it('the CPU wheel is a CPU-only build with no CUDA versions', async () => {
    const wheel = writeWheel(
      join(dir, 'cpu', 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'),
      tensorflowMembers('tensorflow_cpu', '2.21.0', null),
    );
    expect((await wheelSource(wheel, cpu)).build).toEqual({
      version: '2.21.0',
      distribution: 'tensorflow-cpu',
      cudaBuild: false,
      cudaVersion: null,
      cudnnVersion: null,
    });
  });
});

it("--from-python: the library folder and, for --gpu, pip's nvidia library folders come from the Python (a fake one here)", async () => {
  const site = join(dir, 'site-packages');
  const lib = join(site, 'tensorflow');
  for (const path of [
    'libtensorflow_cc.so.2',
    'libtensorflow_framework.so.2',
    'include/tensorflow/c/c_api.h',
    'include/tensorflow/c/eager/c_api.h',
  ]) {
    mkdirSync(join(lib, path, '..'), { recursive: true });
    writeFileSync(join(lib, path), path);
  }
  const nvidia = [join(site, 'nvidia', 'cublas', 'lib'), join(site, 'nvidia', 'cudnn', 'lib')];
  const python = fakePython(join(dir, 'bin'), {
    python: '3.12.3',
    executable: '/usr/bin/python3',
    libDir: lib,
    distribution: 'tensorflow',
    version: '2.21.0',
    buildInfo: { is_cuda_build: true, cuda_version: '12.5.1', cudnn_version: '9' },
    nvidiaLibDirs: nvidia,
  });
  const forGpu = await pythonSource(python, gpu);
  expect(forGpu).toMatchObject({ kind: 'python', libraryPath: nvidia, key: `python:${lib}:2.21.0` });
  expect(forGpu.description).toBe(`tensorflow 2.21.0 installed for Python 3.12.3 (${lib})`);
  expect(forGpu.build).toEqual({
    version: '2.21.0',
    distribution: 'tensorflow',
    cudaBuild: true,
    cudaVersion: '12.5.1',
    cudnnVersion: '9',
  });
  expect((await pythonSource(python, cpu)).libraryPath).toEqual([]);
  const deps = join(dir, 'deps-python');
  await forGpu.copyInto(deps);
  expect(readFileSync(join(deps, 'lib', 'libtensorflow_cc.so.2'), 'utf8')).toBe('libtensorflow_cc.so.2');
  expect(existsSync(join(deps, 'include', 'tensorflow', 'c', 'eager', 'c_api.h'))).toBe(true);
});

it('--from-python: a Python without tensorflow, a tensorflow without headers, and no such Python are bad input', async () => {
  const none = fakePython(join(dir, 'bin-none'), {
    python: '3.11.7',
    executable: '/usr/bin/python3',
    error: 'no tensorflow package is installed for this Python',
  });
  const noTf = await failure(pythonSource(none, cpu));
  expect(noTf.exitCode).toBe(ExitCode.badInput);
  expect(noTf.message).toBe(
    `setup native: step "locate" failed: ${none} (Python 3.11.7): no tensorflow package is installed for this Python; install it (pip install tensorflow-cpu==2.21.0) or pass --from-wheel FILE`,
  );
  const lib = join(dir, 'headless', 'tensorflow');
  mkdirSync(lib, { recursive: true });
  for (const name of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) writeFileSync(join(lib, name), '');
  const headless = fakePython(join(dir, 'bin-headless'), {
    python: '3.11.7',
    libDir: lib,
    distribution: 'tensorflow',
    version: '2.21.0',
    buildInfo: {},
    nvidiaLibDirs: [],
  });
  expect((await failure(pythonSource(headless, gpu))).message).toContain(
    `the tensorflow package at ${lib} lacks its C headers (include/tensorflow/c/c_api.h, include/tensorflow/c/eager/c_api.h)`,
  );
  const absent = await failure(pythonSource(join(dir, 'no-such-python'), cpu));
  expect(absent.exitCode).toBe(ExitCode.badInput);
  expect(absent.message).toContain('--from-python: ');
  expect(absent.message).toContain('no-such-python not found');
});
