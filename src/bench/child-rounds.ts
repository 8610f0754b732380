/** What the benches that run rounds in child processes share: the median of per-round figures, and a child's first JSON line. */
import type { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function firstJsonLine<T>(child: ReturnType<typeof spawn>): Promise<T> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) return JSON.parse(line) as T;
  throw new Error('the process ended without output');
}
