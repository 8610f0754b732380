/**
 * Where pipebench's own files live (models/, workloads/, package.json): the nearest folder above
 * this module whose package.json is pipebench's. Walking up, rather than counting levels, keeps
 * it right for src/, dist/ and for bundles carried to a GPU node (gpu/bundle.mjs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Falls back to the folder above `start` (the src/ and dist/ layout) when no manifest names pipebench. */
function findPackageRoot(start: string): string {
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'pipebench') return dir;
  }
  return dirname(start);
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** pipebench's version, or "unknown" in a bundle carried without its package.json. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
