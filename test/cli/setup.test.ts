/**
 * `pipebench setup native` through the built CLI: bad flags and bad sources are one line and exit 2
 * before anything is installed; where setup already ran, running it again rebuilds nothing and
 * --check proves the addon in a child process.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath } from '../../src/targets/inprocess/native/manifest.js';
import { PYTHON_STATUS, tensorflowMembers, writeWheel } from '../setup/wheels.js';
import { describeWhenReady, nativeStatus } from '../targets/inprocess/native/native-status.js';
import { BIN, runCli } from './cli-process.js';
import { eventually } from './process-tags.js';

const STACK_LINE = /^\s+at /m;
const dir = mkdtempSync(join(tmpdir(), 'pipebench-setup-cli-'));

/** Exit 2 with exactly one line on stderr, nothing on stdout. */
async function expectBadInput(args: readonly string[], line: string | RegExp): Promise<void> {
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK_LINE);
  const lines = result.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('setup native ['));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
}

describe('pipebench setup native: flags and sources', () => {
  it('flags that do not go together name the flag', async () => {
    await expectBadInput(
      ['setup', 'native', '--from-wheel', 'a.whl', '--from-python'],
      'pipebench: --from-python: cannot be combined with --from-wheel: give one source of the TensorFlow library',
    );
    await expectBadInput(['setup', 'native', '--allow-no-gpu'], 'pipebench: --allow-no-gpu: only goes with --gpu');
    await expectBadInput(
      ['setup', 'native', '--check', '--from-wheel', 'a.whl'],
      'pipebench: --check: only reports: it takes no --from-wheel or --from-python',
    );
  });

  it('a wheel that does not exist or is for another platform stops at step "locate", exit 2', async () => {
    await expectBadInput(
      ['setup', 'native', '--from-wheel', join(dir, 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl')],
      /^pipebench: setup native: step "locate" failed: --from-wheel: \/\S+ does not exist; give a TensorFlow wheel for Linux on this machine's CPU/,
    );
    const mac = join(dir, 'tensorflow-2.21.0-cp311-cp311-macosx_12_0_arm64.whl');
    writeFileSync(mac, '');
    await expectBadInput(
      ['setup', 'native', '--from-wheel', mac],
      /step "locate" failed: tensorflow-2\.21\.0-cp311-cp311-macosx_12_0_arm64\.whl is a wheel for another platform \(platform tag macosx_12_0_arm64 is not Linux\)/,
    );
  });
});

it('Ctrl-C (SIGINT to the whole process group) stops it mid-step: exit 130, one line, no stack', async () => {
  // A --from-python that takes its time: setup is still locating when the signal comes.
  const bin = join(dir, 'slow-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'python-slow'), '#!/bin/sh\nsleep 30\n');
  chmodSync(join(bin, 'python-slow'), 0o755);
  const child = spawn(process.execPath, [BIN, 'setup', 'native', '--from-python', join(bin, 'python-slow')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await eventually(async () => stderr.includes('setup native [locate]'), 30_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.kill(-child.pid!, 'SIGINT');
  expect(await exited).toBe(130);
  expect(stderr).not.toMatch(STACK_LINE);
  expect(stderr.trim().split('\n').at(-1)).toBe('pipebench: setup native: interrupted; run it again to finish (a partial build is redone)');
}, 60_000);

describeWhenReady(PYTHON_STATUS, 'pipebench setup native --gpu with a CPU-only wheel', () => {
  it('is refused at step "locate": --gpu needs a CUDA build', async () => {
    const wheel = writeWheel(
      join(dir, 'cpu', 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'),
      tensorflowMembers('tensorflow_cpu', '2.21.0', null),
    );
    await expectBadInput(
      ['setup', 'native', '--gpu', '--from-wheel', wheel],
      `pipebench: setup native: step "locate" failed: tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl is a CPU-only build of TensorFlow (tensorflow-cpu 2.21.0); for --gpu use a CUDA build: pip install 'tensorflow[and-cuda]==2.21.0' then --from-python, or the tensorflow wheel (not tensorflow-cpu) with --from-wheel`,
    );
  });
});

const status = nativeStatus();
describeWhenReady(status, 'pipebench setup native where it already ran', () => {
  const manifest = status.ready ? status.manifest : null;

  it('--check proves the addon in a child process and exits 0', async () => {
    const result = await runCli(['setup', 'native', '--check']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `pipebench setup native --check: ready: @tensorflow/tfjs-node ${manifest!.packageVersion}, built against TensorFlow ${manifest!.tensorflow.version}`,
    );
    expect(result.stdout).toMatch(/verified in a child process: matmul ok, classified 2 texts \(\w+, \w+\); TensorFlow [\d.]+ sees CPU:0/);
  });

  it('running it again from the same source rebuilds nothing and verifies again (idempotent)', async () => {
    const addon = addonPath(status.ready ? status.packageDir : '');
    const before = statSync(addon).mtimeMs;
    const result = await runCli(['setup', 'native', ...manifest!.source.flags]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('nothing to rebuild');
    expect(result.stderr).not.toContain('setup native [libraries]');
    expect(result.stdout).toContain(
      `@tensorflow/tfjs-node ${manifest!.packageVersion} was already built against TensorFlow ${manifest!.tensorflow.version}`,
    );
    expect(statSync(addon).mtimeMs).toBe(before);
  });
});
