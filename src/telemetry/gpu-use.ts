/**
 * Whether the measured work ran on a GPU pipebench sampled. A wasm or cpu model in process, or an
 * HTTP server on another host, leaves this host's GPU idle whatever the batch size: its figures say
 * nothing about the model, so they are reported as "not used by the model", never read as the
 * host side holding the GPU back. Pure: the placement comes from report types on the ground floor.
 */
import type { BackendReport, TargetReport } from '../core/report/environment.js';
import type { ComputeAppsResult, GpuWindowSummary } from '../core/report/telemetry.js';
import { formatBytes } from '../format.js';
import { gpuStepNotes } from './gpu-notes.js';

/** Where the model runs, as report.json says it: the target, its backend (in process), the host's name. */
export interface ModelPlacement {
  readonly target: Pick<TargetReport, 'kind' | 'url'>;
  readonly backend: Pick<BackendReport, 'name' | 'gpu'> | null;
  /** environment.hostname: an HTTP target addressed by it is on this host. */
  readonly hostname?: string;
}

/**
 * used: the model runs on this GPU (an in-process GPU backend). not-used: it cannot (a CPU backend,
 * a server on another host, a local server with no process on the GPU). possible: an HTTP server on
 * this host that may be using it (nvidia-smi lists processes, or cannot list them).
 */
export interface ModelGpuUse {
  readonly kind: 'used' | 'not-used' | 'possible';
  /** What decided it: the in-process backend, the server's host, or nvidia-smi's process list. */
  readonly basis: 'backend' | 'server-host' | 'process-list';
  readonly why: string;
}

/**
 * Memory used on a GPU with no CUDA context on it reads a few MiB; one context alone takes a few
 * hundred MiB on current boards. Above this, an empty process list is not believed (in a container
 * without the host's pid namespace nvidia-smi lists no process at all, even on a busy GPU).
 */
export const CONTEXT_MEM_BYTES = 64 * 1024 * 1024;

const LOCAL_HOSTNAMES = new Set(['localhost', '::1', '[::1]', '0.0.0.0', '[::]']);

/** The target URL's host is this machine: a loopback name or address, or the host's own name. */
export function isLocalUrl(url: string, hostname?: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (LOCAL_HOSTNAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost')) return true;
  return hostname !== undefined && hostname !== '' && host === hostname.toLowerCase();
}

/** What the step's process lists say: apps that are not this run's, or none at all, or no list. */
function otherApps(processes: readonly (ComputeAppsResult | null)[]): { readonly listed: boolean; readonly names: readonly string[] } {
  const lists = processes.filter((result): result is Extract<ComputeAppsResult, { kind: 'ok' }> => result?.kind === 'ok');
  const names = lists.flatMap((list) => list.apps.filter((app) => !app.own).map((app) => `${app.processName} (pid ${app.pid})`));
  return { listed: lists.length > 0, names: [...new Set(names)] };
}

/** Whether the measured work used this GPU in the step, with why in a few words. */
export function modelGpuUse(
  placement: ModelPlacement,
  gpu: Pick<GpuWindowSummary, 'memUsedPeakBytes'>,
  processes: readonly (ComputeAppsResult | null)[],
): ModelGpuUse {
  const { target, backend } = placement;
  if (target.kind === 'inprocess') {
    if (backend === null) return { kind: 'possible', basis: 'backend', why: 'the in-process target reported no backend' };
    return backend.gpu
      ? { kind: 'used', basis: 'backend', why: `backend ${backend.name} on the GPU` }
      : { kind: 'not-used', basis: 'backend', why: `backend ${backend.name}` };
  }
  if (target.url === null || !isLocalUrl(target.url, placement.hostname)) {
    return {
      kind: 'not-used',
      basis: 'server-host',
      why: `the server ${target.url === null ? '' : `${new URL(target.url).host} `}is not on this host`,
    };
  }
  const apps = otherApps(processes);
  if (!apps.listed) return { kind: 'possible', basis: 'process-list', why: 'the server is on this host and no process list was taken' };
  if (apps.names.length > 0)
    return { kind: 'possible', basis: 'process-list', why: `the server is on this host and ${apps.names.join(', ')} ran on a GPU` };
  if (gpu.memUsedPeakBytes !== null && gpu.memUsedPeakBytes > CONTEXT_MEM_BYTES) {
    return {
      kind: 'possible',
      basis: 'process-list',
      why: `nvidia-smi lists no process, yet ${formatBytes(gpu.memUsedPeakBytes)} of its memory was in use`,
    };
  }
  return { kind: 'not-used', basis: 'process-list', why: 'nvidia-smi lists no process on it: the server on this host computes elsewhere' };
}

/** "GPU 0: not used by the model (backend wasm)". */
export function notUsedNote(gpuIndex: number, use: ModelGpuUse): string {
  return `GPU ${gpuIndex}: not used by the model (${use.why})`;
}

/**
 * A step's GPU notes knowing where the model runs: a GPU the work does not use gets that one note;
 * the others get gpu-notes.ts's (idle while items queue, clocks held down). Without a placement
 * (GPU summaries on their own, `gpu summarize`) every GPU gets gpu-notes.ts's.
 */
export function modelGpuNotes(
  gpus: readonly GpuWindowSummary[],
  placement: ModelPlacement | null,
  processes: readonly (ComputeAppsResult | null)[],
): string[] {
  return gpus.flatMap((gpu) => {
    const use = placement === null ? null : modelGpuUse(placement, gpu, processes);
    return use?.kind === 'not-used' ? [notUsedNote(gpu.gpuIndex, use)] : gpuStepNotes(gpu);
  });
}
