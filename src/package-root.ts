/**
 * Where pipebench's own files live (models/, workloads/, package.json): one folder above this
 * module, which is src/package-root.ts, dist/package-root.js, or a bundle's entry file (a bundle
 * must sit one folder below the package root too). Every other module asks here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
