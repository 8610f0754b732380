/**
 * The environment report's CPU and OS facts on Linux, read from the files the kernel and the distro
 * publish (/proc/cpuinfo, /sys/devices/system/cpu, /etc/os-release) instead of through
 * systeminformation, which spawns ~17 processes for them (lscpu twice, dmidecode, dmesg, ip link,
 * hostname -f, cat ...): a benchmark's start-up should not fork a shell per fact, nor wait ~0.3 s
 * for them. The strings come out as systeminformation formats them, so reports stay comparable
 * (but for its quirk of writing an unknown maker's name twice).
 */
import { readdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';

export interface CpuFacts {
  /** As systeminformation's `${manufacturer} ${brand}`: "Intel Xeon® Gold 6338", "AMD EPYC 7763 64-Core Processor". */
  readonly model: string;
  readonly cores: number;
  readonly physicalCores: number | null;
  readonly speedGHz: number | null;
}

export interface OsFacts {
  readonly distro: string;
  readonly release: string;
}

/** The first word of a brand string, by what it contains, as systeminformation names the maker. */
const MANUFACTURERS: readonly (readonly [RegExp, string])[] = [
  [/intel/i, 'Intel'],
  [/amd/i, 'AMD'],
  [/qemu|tcg/i, 'QEMU'],
  [/hygon/i, 'Hygon'],
  [/centaur/i, 'WinChip/Via'],
  [/vmware/i, 'VMware'],
  [/apple/i, 'Apple'],
];

/**
 * A /proc/cpuinfo "model name" as systeminformation shows it: ®/™/© for (R)/(TM)/(C), "CPU"
 * dropped, the known maker's name first; "@ 2.40GHz" is the nominal speed. Null speed when the
 * name does not carry one.
 */
export function cpuModelOf(modelName: string): { model: string; nominalGHz: number | null } {
  const [name = '', speed] = modelName.replace(/To Be Filled By O\.E\.M\./g, '').split('@');
  const brand = name
    .split('Unknown')[0]!
    .replace(/\(R\)+/g, '®')
    .replace(/\(TM\)+/g, '™')
    .replace(/\(C\)+/g, '©')
    .replace(/CPU+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const maker = MANUFACTURERS.find(([pattern]) => pattern.test(brand))?.[1];
  const model = maker === undefined ? brand : `${maker} ${brand.split(' ').slice(1).join(' ')}`.trim();
  const nominalGHz = speed === undefined ? NaN : parseFloat(speed.trim());
  return { model, nominalGHz: nominalGHz > 0 ? nominalGHz : null };
}

/** The first "model name" of /proc/cpuinfo (x86 has one per CPU; most ARM kernels have none). */
export function cpuinfoModelName(cpuinfo: string): string | null {
  const match = /^model name\s*:\s*(.*)$/m.exec(cpuinfo);
  return match?.[1]?.trim() || null;
}

/** Physical cores: the distinct sibling sets among the online CPUs' thread_siblings_list (what lscpu counts). */
export function physicalCoresOf(siblingLists: readonly string[]): number | null {
  const cores = new Set(siblingLists.map((list) => list.trim()).filter((list) => list !== ''));
  return cores.size > 0 ? cores.size : null;
}

/**
 * distro and release from the release files, in systeminformation's order and rules (/etc/*-release,
 * then /usr/lib/os-release, later keys winning): DISTRIB_ID or NAME; the version from PRETTY_NAME or
 * VERSION without its "(codename)", else DISTRIB_RELEASE or VERSION_ID.
 */
export function osReleaseOf(texts: readonly string[]): OsFacts {
  const fields = new Map<string, string>();
  for (const line of texts.join('\n').split('\n')) {
    const at = line.indexOf('=');
    if (at >= 0) fields.set(line.slice(0, at).trim().toUpperCase(), line.slice(at + 1).trim());
  }
  const value = (key: string): string => (fields.get(key) ?? '').replace(/"/g, '');
  const distro = value('DISTRIB_ID') || value('NAME') || 'unknown';
  let version = value('VERSION');
  if (value('PRETTY_NAME').startsWith(`${distro} `))
    version = value('PRETTY_NAME')
      .slice(distro.length + 1)
      .trim();
  version = version.split('(')[0]!.trim();
  return { distro, release: version || value('DISTRIB_RELEASE') || value('VERSION_ID') || 'unknown' };
}

/** Null when /proc/cpuinfo names no model (then systeminformation's lscpu, which knows ARM part numbers, does it). */
export async function readLinuxCpuFacts(): Promise<CpuFacts | null> {
  const modelName = cpuinfoModelName(await readText('/proc/cpuinfo'));
  if (modelName === null) return null;
  const { model, nominalGHz } = cpuModelOf(modelName);
  const online = cpuListOf(await readText('/sys/devices/system/cpu/online'));
  const siblings = await Promise.all(online.map((cpu) => readText(`/sys/devices/system/cpu/cpu${cpu}/topology/thread_siblings_list`)));
  return { model, cores: cpus().length, physicalCores: physicalCoresOf(siblings), speedGHz: nominalGHz ?? (await clockGHz()) };
}

/** A kernel CPU list ("0-3,8,10-11") as CPU numbers; [] for an empty or unreadable one. */
export function cpuListOf(list: string): number[] {
  return list
    .trim()
    .split(',')
    .filter((part) => /^\d+(-\d+)?$/.test(part))
    .flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number) as [number, number?];
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
}

/** The base frequency where the cpufreq driver publishes it (intel_pstate), else the CPUs' mean current clock. */
async function clockGHz(): Promise<number | null> {
  const baseKHz = Number(await readText('/sys/devices/system/cpu/cpu0/cpufreq/base_frequency'));
  if (baseKHz > 0) return Math.round(baseKHz / 1e4) / 100;
  const online = cpus();
  const meanMHz = online.reduce((sum, cpu) => sum + cpu.speed, 0) / Math.max(1, online.length);
  return meanMHz > 0 ? Math.round(meanMHz / 10) / 100 : null;
}

export async function readLinuxOsFacts(): Promise<OsFacts> {
  const etc = (await readdir('/etc').catch(() => [] as string[])).filter((name) => name.endsWith('-release')).sort();
  const paths = [...etc.map((name) => join('/etc', name)), '/usr/lib/os-release', '/etc/openwrt_release'];
  return osReleaseOf(await Promise.all(paths.map(readText)));
}

/** A file's text, or '' when it cannot be read (a fact it would give is then unknown, not an error). */
function readText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}
