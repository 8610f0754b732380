/**
 * Wheel file names (PEP 427: name-version[-build]-python-abi-platform.whl) and whether a wheel's
 * platform tag can run here. Only the wheel's C library is used, so its Python tag does not
 * matter; its operating system, CPU architecture and glibc floor do.
 */

export interface WheelName {
  readonly distribution: string;
  readonly version: string;
  readonly pythonTag: string;
  readonly platformTags: readonly string[];
}

/** What the platform check needs to know about this machine. */
export interface HostPlatform {
  readonly os: string; // process.platform
  readonly arch: string; // "x86_64", "aarch64" (wheel spelling)
  /** "2.36"; null when unknown (not glibc). */
  readonly glibc: string | null;
}

export function parseWheelName(fileName: string): WheelName | null {
  const match = /^([A-Za-z0-9_.]+)-([^-]+)(?:-\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(fileName);
  if (!match) return null;
  const [, distribution, version, pythonTag, , platform] = match as unknown as [string, string, string, string, string, string];
  return { distribution, version, pythonTag, platformTags: platform.split('.') };
}

/** Legacy manylinux tags and the glibc each promises (PEP 600 spells the rest manylinux_X_Y). */
const LEGACY_MANYLINUX: Readonly<Record<string, string>> = { manylinux1: '2.5', manylinux2010: '2.12', manylinux2014: '2.17' };

/** null when one of the wheel's platform tags runs here, else why none does. */
export function platformMismatch(wheel: WheelName, host: HostPlatform): string | null {
  if (host.os !== 'linux') return `pipebench setup native builds on Linux only (this is ${host.os})`;
  const reasons: string[] = [];
  for (const tag of wheel.platformTags) {
    const reason = tagMismatch(tag, host);
    if (reason === null) return null;
    reasons.push(reason);
  }
  return reasons.join('; ');
}

function tagMismatch(tag: string, host: HostPlatform): string | null {
  const modern = /^manylinux_(\d+)_(\d+)_(.+)$/.exec(tag);
  const legacy = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(tag);
  const plain = /^linux_(.+)$/.exec(tag);
  const arch = modern?.[3] ?? legacy?.[2] ?? plain?.[1];
  if (arch === undefined) return `platform tag ${tag} is not Linux`;
  if (arch !== host.arch) return `platform tag ${tag} is for ${arch}, this machine is ${host.arch}`;
  const needs = modern ? `${modern[1]}.${modern[2]}` : legacy ? LEGACY_MANYLINUX[legacy[1] as string] : undefined;
  if (needs !== undefined && host.glibc !== null && compareVersions(host.glibc, needs) < 0) {
    return `platform tag ${tag} needs glibc ${needs}, this machine has ${host.glibc}`;
  }
  return null;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** This machine, in wheel terms. */
export function hostPlatform(): HostPlatform {
  const arch = ({ x64: 'x86_64', arm64: 'aarch64' } as Readonly<Record<string, string>>)[process.arch] ?? process.arch;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return { os: process.platform, arch, glibc: header?.glibcVersionRuntime ?? null };
}
