/**
 * Finding every process a CLI run started, for "no child process left" checks: the CLI gets a tag
 * in its environment that each descendant inherits (even one re-parented to init), and a fake
 * nvidia-smi first on PATH that runs until it is killed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const FAKE_NVIDIA_SMI = join(import.meta.dirname, '..', 'fixtures', 'bin', 'ok');

export interface TaggedProcess {
  readonly pid: number;
  readonly cmdline: string;
}

/** The CLI's environment: the fake nvidia-smi first on PATH, and a tag every descendant inherits. */
export function cliEnv(tag: string): NodeJS.ProcessEnv {
  return { PATH: `${FAKE_NVIDIA_SMI}:${process.env['PATH'] ?? ''}`, PIPEBENCH_TEST_TAG: tag };
}

/** Live processes carrying the tag in their environment (a zombie's environ reads empty, so it does not count). */
export async function taggedProcesses(tag: string): Promise<TaggedProcess[]> {
  const found: TaggedProcess[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = await readFile(`/proc/${name}/environ`, 'utf8');
      if (!environ.split('\0').includes(`PIPEBENCH_TEST_TAG=${tag}`)) continue;
      found.push({ pid: Number(name), cmdline: (await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' ') });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/** Polls until `check` holds or `withinMs` passes; bounded. */
export async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
