/**
 * Network bytes from /proc/net/dev: cumulative receive and transmit byte counters per interface.
 * Rates come from per-interface deltas, so an interface that appears, vanishes or resets its
 * counters between two reads adds nothing instead of a huge or negative jump.
 */
import { readFile } from 'node:fs/promises';

export interface InterfaceBytes {
  readonly rxBytes: number;
  readonly txBytes: number;
}

/** Interface name -> cumulative counters. Lines that are not `name: 16 numbers` are skipped. */
export type NetCounters = ReadonlyMap<string, InterfaceBytes>;

/**
 * After the two header lines, each line is `iface: rx_bytes rx_packets ... (8 receive fields)
 * tx_bytes tx_packets ... (8 transmit fields)`; the name may be glued to the colon's right side.
 */
export function parseProcNetDev(text: string): NetCounters {
  const counters = new Map<string, InterfaceBytes>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (name === '' || name.includes('|') || fields.length < 16 || fields.some((f) => !Number.isFinite(f))) continue;
    counters.set(name, { rxBytes: fields[0] ?? 0, txBytes: fields[8] ?? 0 });
  }
  return counters;
}

/** Bytes moved between two reads, summed over the interfaces present in both (loopback included). */
export function netBytesBetween(before: NetCounters, after: NetCounters): InterfaceBytes {
  let rxBytes = 0;
  let txBytes = 0;
  for (const [name, now] of after) {
    const then = before.get(name);
    if (then === undefined) continue;
    // A counter that went back was reset (interface re-created): count nothing for it this time.
    rxBytes += Math.max(0, now.rxBytes - then.rxBytes);
    txBytes += Math.max(0, now.txBytes - then.txBytes);
  }
  return { rxBytes, txBytes };
}

/** Null off Linux or when /proc/net/dev cannot be read. */
export async function readNetCounters(): Promise<NetCounters | null> {
  if (process.platform !== 'linux') return null;
  try {
    return parseProcNetDev(await readFile('/proc/net/dev', 'utf8'));
  } catch {
    return null;
  }
}
