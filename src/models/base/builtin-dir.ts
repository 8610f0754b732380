import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of models/<name>; this file sits three levels below the repo root in src/ and dist/. */
export function builtinModelDirOf(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..', 'models', name);
}
