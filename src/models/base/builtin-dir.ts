import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';

/** Absolute path of models/<name>. */
export function builtinModelDirOf(name: string): string {
  return join(PACKAGE_ROOT, 'models', name);
}
