/** How a workload names model folders and built-ins for the in-process target (run, serve and the library). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import type { ModelSpec } from '../../models/types.js';
import type { ModelRef, ModelSize } from '../../core/workload.js';

export type BuiltinModelName = 'intent-classifier' | 'prompt-generator';

/** Where built-in `base` models are built on first use. */
export function modelCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  return env['PIPEBENCH_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'pipebench');
}

/** A folder wins; else the named built-in (or `fallback`). `where` names the field or flag for errors. */
export function modelSpec(ref: ModelRef, fallback: BuiltinModelName, size: ModelSize, cacheDir: string, where: string): ModelSpec {
  if (ref.dir) return { kind: 'dir', dir: ref.dir };
  const name = ref.builtin ?? fallback;
  if (name !== 'intent-classifier' && name !== 'prompt-generator') {
    throw new InputError(where, `unknown built-in model "${name}" (built-ins: intent-classifier, prompt-generator)`);
  }
  return { kind: 'builtin', name, size, cacheDir };
}
