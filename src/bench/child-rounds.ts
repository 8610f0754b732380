/** What the benches that run rounds in child processes share: a child's first JSON line (the medians are in median.ts). */
import type { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function firstJsonLine<T>(child: ReturnType<typeof spawn>): Promise<T> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) return JSON.parse(line) as T;
  throw new Error('the process ended without output');
}
