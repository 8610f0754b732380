/**
 * The environment report's CPU and OS facts read from /proc, /sys and the release files: the
 * parsers on the strings real machines publish, and on this host the same facts systeminformation
 * (lscpu, cat /etc/*-release) gives.
 */
import { readFile } from 'node:fs/promises';
import { release, totalmem } from 'node:os';
import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import {
  cpuinfoModelName,
  cpuListOf,
  cpuModelOf,
  osReleaseOf,
  physicalCoresOf,
  readLinuxCpuFacts,
  readLinuxOsFacts,
} from '../../src/telemetry/linux-host.js';

describe('cpuModelOf', () => {
  it('writes a model name as systeminformation does, with the nominal speed when the name carries it', () => {
    expect(cpuModelOf('Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz')).toEqual({ model: 'Intel Xeon® E5-2680 v4', nominalGHz: 2.4 });
    expect(cpuModelOf('Intel(R) Xeon(R) Platinum 8480+')).toEqual({ model: 'Intel Xeon® Platinum 8480+', nominalGHz: null });
    expect(cpuModelOf('AMD EPYC 7763 64-Core Processor')).toEqual({ model: 'AMD EPYC 7763 64-Core Processor', nominalGHz: null });
    expect(cpuModelOf('AMD EPYC')).toEqual({ model: 'AMD EPYC', nominalGHz: null });
    expect(cpuModelOf('QEMU Virtual CPU version 2.5+')).toEqual({ model: 'QEMU Virtual version 2.5+', nominalGHz: null });
    // A BIOS-style name: what follows "Unknown" is not the model.
    expect(cpuModelOf('AMD EPYC 7B13 Unknown CPU @ 2.2GHz')).toEqual({ model: 'AMD EPYC 7B13', nominalGHz: 2.2 });
    expect(cpuModelOf('Some Vendor Chip')).toEqual({ model: 'Some Vendor Chip', nominalGHz: null });
  });

  it('finds the model name in /proc/cpuinfo, or none (most ARM kernels publish none)', () => {
    expect(
      cpuinfoModelName('processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 143\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\n'),
    ).toBe('Intel(R) Xeon(R) Platinum 8480+');
    expect(cpuinfoModelName('processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n')).toBeNull();
  });
});

describe('CPU topology', () => {
  it('reads kernel CPU lists', () => {
    expect(cpuListOf('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(cpuListOf('0\n')).toEqual([0]);
    expect(cpuListOf('')).toEqual([]);
  });

  it('counts a core once for all its hardware threads', () => {
    expect(physicalCoresOf(['0,2\n', '1,3\n', '0,2\n', '1,3\n'])).toBe(2);
    expect(physicalCoresOf(['0-1\n', '0-1\n'])).toBe(1);
    expect(physicalCoresOf(['0\n', '1\n'])).toBe(2);
    expect(physicalCoresOf(['', ''])).toBeNull();
  });
});

describe('osReleaseOf', () => {
  const debian = [
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
    'NAME="Debian GNU/Linux"',
    'VERSION_ID="12"',
    'VERSION="12 (bookworm)"',
    'VERSION_CODENAME=bookworm',
    'ID=debian',
  ].join('\n');

  it('takes the name and the version without its codename', () => {
    expect(osReleaseOf([debian, debian, ''])).toEqual({ distro: 'Debian GNU/Linux', release: '12' });
  });

  it("Ubuntu: lsb-release's DISTRIB_ID names it, PRETTY_NAME gives the point release", () => {
    const lsb = 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.3 LTS"';
    const os = 'PRETTY_NAME="Ubuntu 22.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.3 LTS (Jammy Jellyfish)"';
    expect(osReleaseOf([lsb, os])).toEqual({ distro: 'Ubuntu', release: '22.04.3 LTS' });
  });

  it('unknown without release files', () => {
    expect(osReleaseOf(['', ''])).toEqual({ distro: 'unknown', release: 'unknown' });
  });
});

describe.runIf(process.platform === 'linux')('on this host', () => {
  it('the same CPU, memory and OS facts as systeminformation (lscpu, cat /etc/*-release)', async () => {
    const [cpu, os, siCpu, siOs, siMem] = await Promise.all([readLinuxCpuFacts(), readLinuxOsFacts(), si.cpu(), si.osInfo(), si.mem()]);
    const modelName = cpuinfoModelName(await readFile('/proc/cpuinfo', 'utf8'));
    if (modelName === null) {
      expect(cpu).toBeNull();
    } else {
      expect(cpu?.model).toBe(`${siCpu.manufacturer} ${siCpu.brand}`.trim());
      expect(cpu?.cores).toBe(siCpu.cores);
      expect(cpu?.physicalCores).toBe(siCpu.physicalCores);
      // systeminformation's speed without "@ x GHz" in the name comes from its own table of AMD models.
      if (modelName.includes('@')) expect(cpu?.speedGHz).toBe(siCpu.speed);
    }
    expect(os).toEqual({ distro: siOs.distro, release: siOs.release });
    expect(release()).toBe(siOs.kernel);
    expect(totalmem()).toBe(siMem.total);
  });
});
