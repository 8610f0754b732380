/**
 * Host inventory for report.json: CPU, memory, OS (systeminformation), git commit, pipebench version.
 * systeminformation's graphics() is deliberately not used: it runs nvidia-smi synchronously with no
 * timeout and found no H100 data on the real node; the GPU inventory comes from gpu-inventory.ts.
 */
import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import si from 'systeminformation';
import { PACKAGE_ROOT, packageVersion } from '../package-root.js';
import type { EnvironmentReport } from '../core/report/environment.js';

const GIT_TIMEOUT_MS = 2000;

export interface CollectEnvironmentOptions {
  /** Folder whose git commit is recorded (default: the package root). */
  readonly repoDir?: string;
}

export async function collectEnvironment(options: CollectEnvironmentOptions = {}): Promise<EnvironmentReport> {
  const repoDir = options.repoDir ?? PACKAGE_ROOT;
  const [cpu, mem, os, gitCommit, pipebenchVersion] = await Promise.all([
    si.cpu(),
    si.mem(),
    si.osInfo(),
    readGitCommit(repoDir),
    packageVersion(),
  ]);
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    hostname: hostname(),
    cpu: {
      model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
      cores: cpu.cores,
      physicalCores: cpu.physicalCores > 0 ? cpu.physicalCores : null,
      speedGHz: cpu.speed > 0 ? cpu.speed : null,
    },
    memTotalBytes: mem.total,
    os: { distro: os.distro, release: os.release, kernel: os.kernel },
    gitCommit,
    pipebenchVersion,
  };
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
