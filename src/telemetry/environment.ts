/**
 * Host inventory for report.json: CPU, memory, OS, git commit, pipebench version. On Linux the CPU
 * and OS come from the kernel's and the distro's own files (linux-host.ts), so the survey starts no
 * child process but git; elsewhere, and for a CPU that /proc/cpuinfo does not name (most ARM
 * kernels: lscpu knows their part numbers), from systeminformation, loaded only then.
 * systeminformation's graphics() is deliberately not used: it runs nvidia-smi synchronously with no
 * timeout and found no H100 data on the real node; the GPU inventory comes from gpu-inventory.ts.
 */
import { execFile } from 'node:child_process';
import { hostname, release, totalmem } from 'node:os';
import { PACKAGE_ROOT, packageVersion } from '../package-root.js';
import type { EnvironmentReport } from '../core/report/environment.js';
import { readLinuxCpuFacts, readLinuxOsFacts, type CpuFacts, type OsFacts } from './linux-host.js';

const GIT_TIMEOUT_MS = 2000;

export interface CollectEnvironmentOptions {
  /** Folder whose git commit is recorded (default: the package root). */
  readonly repoDir?: string;
}

export async function collectEnvironment(options: CollectEnvironmentOptions = {}): Promise<EnvironmentReport> {
  const repoDir = options.repoDir ?? PACKAGE_ROOT;
  const linux = process.platform === 'linux';
  const [cpu, os, gitCommit] = await Promise.all([
    (linux ? readLinuxCpuFacts() : Promise.resolve(null)).then((facts) => facts ?? surveyedCpu()),
    linux ? readLinuxOsFacts() : surveyedOs(),
    readGitCommit(repoDir),
  ]);
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    hostname: hostname(),
    cpu,
    // What systeminformation's mem().total reads too (MemTotal on Linux).
    memTotalBytes: totalmem(),
    os: { ...os, kernel: release() },
    gitCommit,
    pipebenchVersion: packageVersion(),
  };
}

async function surveyedCpu(): Promise<CpuFacts> {
  const { default: si } = await import('systeminformation');
  const cpu = await si.cpu();
  return {
    model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    cores: cpu.cores,
    physicalCores: cpu.physicalCores > 0 ? cpu.physicalCores : null,
    speedGHz: cpu.speed > 0 ? cpu.speed : null,
  };
}

async function surveyedOs(): Promise<OsFacts> {
  const { default: si } = await import('systeminformation');
  const os = await si.osInfo();
  return { distro: os.distro, release: os.release };
}

/** `git rev-parse HEAD`, or null without git, outside a checkout, or after the timeout. */
export function readGitCommit(repoDir: string, timeoutMs = GIT_TIMEOUT_MS): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: repoDir, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout) => {
      const commit = stdout.trim();
      resolve(error === null && /^[0-9a-f]{40,64}$/.test(commit) ? commit : null);
    });
  });
}
