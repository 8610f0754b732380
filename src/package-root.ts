/**
 * Where pipebench's own files live (models/, workloads/, package.json): the nearest folder above
 * this module whose package.json is pipebench's. Walking up, rather than counting levels, keeps
 * it right for src/, dist/ and for bundles carried to a GPU node (gpu/bundle.mjs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'pipebench') return dir;
    if (dirname(dir) === dir) throw new Error(`pipebench's package.json was not found above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
