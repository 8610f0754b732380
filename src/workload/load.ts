/**
 * Reading a workload: YAML text -> schema -> defaults -> Workload. Every failure is one InputError
 * whose `where` is "<file>: <field path>" (or "<file>:<line>:<col>" for YAML syntax), and whose
 * message says what was expected and what was found.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { resolveWorkload } from './resolve.js';
import { WorkloadYamlSchema } from './schema.js';
import type { Workload } from '../core/workload.js';
import { describeFsError, parseYamlWith, readInputFile } from './yaml-file.js';

export { formatFieldPath } from '../field-path.js';

/** Reads, validates and resolves a workload file; also checks that its corpus and model folders exist. */
export async function loadWorkload(path: string): Promise<Workload> {
  const text = await readInputFile(path, 'the workload file');
  const parsed = parseWorkload(text, path, dirname(resolve(path)));
  const workload: Workload = { ...parsed, source: resolve(path) };
  await requireExisting(path, 'corpus.path', workload.corpus.path, 'file');
  for (const role of ['classifier', 'generator'] as const) {
    const dir = workload.models[role].dir;
    if (dir !== undefined) await requireExisting(path, `models.${role}`, dir, 'directory');
  }
  return workload;
}

/** The workload used when the CLI is given no file. */
export function defaultWorkload(repoRoot: string): Promise<Workload> {
  return loadWorkload(join(repoRoot, 'workloads', 'default.yaml'));
}

/**
 * Validates YAML text and resolves it against `baseDir` (the folder relative paths start from).
 * `source` names the file in errors and becomes Workload.source. Touches no files.
 */
export function parseWorkload(text: string, source: string, baseDir: string): Workload {
  return resolveWorkload(parseYamlWith(WorkloadYamlSchema, text, source, 'workload'), source, baseDir);
}

async function requireExisting(source: string, field: string, path: string, kind: 'file' | 'directory'): Promise<void> {
  try {
    const info = await stat(path);
    const ok = kind === 'file' ? info.isFile() : info.isDirectory();
    if (!ok) throw new InputError(`${source}: ${field}`, `expected a ${kind}, got ${path} (not a ${kind})`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${source}: ${field}`, `expected an existing ${kind}, got ${path} (${describeFsError(error)})`, { cause: error });
  }
}
