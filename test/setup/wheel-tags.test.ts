import { describe, expect, it } from 'vitest';
import { parseWheelName, platformMismatch, type HostPlatform } from '../../src/setup/wheel-tags.js';

const linux: HostPlatform = { os: 'linux', arch: 'x86_64', glibc: '2.36' };
const wheel = (file: string) => parseWheelName(file)!;

describe('wheel names and platforms', () => {
  it('reads PEP 427 names, with or without a build tag and with compressed platform tags', () => {
    expect(parseWheelName('tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl')).toEqual({
      distribution: 'tensorflow_cpu',
      version: '2.21.0',
      pythonTag: 'cp311',
      platformTags: ['manylinux_2_27_x86_64'],
    });
    expect(parseWheelName('numpy-1.26.4-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')?.platformTags).toEqual([
      'manylinux_2_17_x86_64',
      'manylinux2014_x86_64',
    ]);
    expect(parseWheelName('tensorflow-2.21.0.tar.gz')).toBeNull();
    expect(parseWheelName('libtensorflow.so.2')).toBeNull();
  });

  it('a manylinux wheel for this CPU and an older glibc runs here, whatever its Python tag', () => {
    expect(platformMismatch(wheel('tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'), linux)).toBeNull();
    expect(platformMismatch(wheel('tensorflow-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl'), linux)).toBeNull();
    expect(platformMismatch(wheel('x-1.0-cp311-cp311-manylinux2014_x86_64.whl'), linux)).toBeNull();
    expect(platformMismatch(wheel('x-1.0-cp311-cp311-linux_x86_64.whl'), linux)).toBeNull();
    expect(platformMismatch(wheel('x-1.0-cp311-cp311-manylinux_2_27_x86_64.whl'), { ...linux, glibc: null })).toBeNull();
  });

  it('says why a wheel for another platform cannot run: OS, CPU, glibc floor', () => {
    expect(platformMismatch(wheel('tensorflow-2.21.0-cp311-cp311-macosx_12_0_arm64.whl'), linux)).toBe(
      'platform tag macosx_12_0_arm64 is not Linux',
    );
    expect(platformMismatch(wheel('tensorflow-2.21.0-cp311-cp311-win_amd64.whl'), linux)).toBe('platform tag win_amd64 is not Linux');
    expect(platformMismatch(wheel('tensorflow-2.21.0-cp311-cp311-manylinux_2_27_aarch64.whl'), linux)).toBe(
      'platform tag manylinux_2_27_aarch64 is for aarch64, this machine is x86_64',
    );
    expect(platformMismatch(wheel('tensorflow-2.21.0-cp311-cp311-manylinux_2_39_x86_64.whl'), linux)).toBe(
      'platform tag manylinux_2_39_x86_64 needs glibc 2.39, this machine has 2.36',
    );
    expect(platformMismatch(wheel('x-1.0-cp311-cp311-manylinux2014_x86_64.whl'), { ...linux, glibc: '2.12' })).toBe(
      'platform tag manylinux2014_x86_64 needs glibc 2.17, this machine has 2.12',
    );
    expect(platformMismatch(wheel('x-1.0-cp311-cp311-manylinux_2_27_x86_64.whl'), { ...linux, os: 'darwin' })).toBe(
      'pipebench setup native builds on Linux only (this is darwin)',
    );
  });
});
