/** GPU inventory at start: `nvidia-smi -q -x` read into driver, CUDA and per-GPU facts. */
import { describeFailure, runCommand } from './run-command.js';
import type { GpuInventoryResult } from './types.js';
import type { GpuInventory, GpuInventoryGpu } from '../core/report/telemetry.js';
import { childAt, parseXml, textAt, type XmlElement } from './xml-tree.js';

const BYTES_PER_UNIT: Readonly<Record<string, number>> = { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** Null when the text is not nvidia-smi's XML log. */
export function parseGpuInventoryXml(xml: string): GpuInventory | null {
  const root = parseXml(xml);
  if (root === null || root.name !== 'nvidia_smi_log') return null;
  return {
    driverVersion: textAt(root, 'driver_version'),
    cudaVersion: textAt(root, 'cuda_version'),
    gpus: root.children.filter((child) => child.name === 'gpu').map(toGpu),
  };
}

function toGpu(gpu: XmlElement, index: number): GpuInventoryGpu {
  const persistence = textAt(gpu, 'persistence_mode');
  return {
    index,
    name: textAt(gpu, 'product_name'),
    uuid: textAt(gpu, 'uuid'),
    pciBusId: textAt(gpu, 'pci/pci_bus_id') ?? gpu.attributes.id ?? null,
    memTotalBytes: parseBytes(textAt(gpu, 'fb_memory_usage/total')),
    powerLimitW: parseWatts(
      // The element moved between driver generations.
      textAt(gpu, 'gpu_power_readings/current_power_limit') ??
        textAt(gpu, 'power_readings/enforced_power_limit') ??
        textAt(gpu, 'power_readings/power_limit'),
    ),
    persistence: persistence === null ? null : persistence === 'Enabled',
    migMode: childAt(gpu, 'mig_mode') === undefined ? null : textAt(gpu, 'mig_mode/current_mig'),
    eccMode: textAt(gpu, 'ecc_mode/current_ecc'),
  };
}

function parseBytes(text: string | null): number | null {
  const match = text === null ? null : /^(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB)$/.exec(text);
  return match === null ? null : Math.round(Number(match[1]) * BYTES_PER_UNIT[match[2]!]!);
}

function parseWatts(text: string | null): number | null {
  const match = text === null ? null : /^(\d+(?:\.\d+)?)\s*W$/.exec(text);
  return match === null ? null : Number(match[1]);
}

export interface ReadGpuInventoryOptions {
  readonly command?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Runs `nvidia-smi -q -x` (5 s timeout by default); says why when there is no inventory. */
export async function readGpuInventory(options: ReadGpuInventoryOptions = {}): Promise<GpuInventoryResult> {
  const command = options.command ?? 'nvidia-smi';
  const timeoutMs = options.timeoutMs ?? 5000;
  const outcome = await runCommand(command, ['-q', '-x'], { env: options.env, timeoutMs });
  if (outcome.kind !== 'exited' || outcome.code !== 0) return { kind: 'unavailable', reason: describeFailure(command, outcome, timeoutMs) };
  const inventory = parseGpuInventoryXml(outcome.stdout);
  if (inventory === null) return { kind: 'unavailable', reason: `${command} -q -x printed no readable XML` };
  return { kind: 'ok', inventory };
}
