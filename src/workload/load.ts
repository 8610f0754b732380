/**
 * Reading a workload: YAML text -> schema -> defaults -> Workload. Every failure is one InputError
 * whose `where` is "<file>: <field path>" (or "<file>:<line>:<col>" for YAML syntax), and whose
 * message says what was expected and what was found.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { resolveWorkload } from './resolve.js';
import { WorkloadYamlSchema } from './schema.js';
import type { Workload } from './types.js';

/** Reads, validates and resolves a workload file; also checks that its corpus and model folders exist. */
export async function loadWorkload(path: string): Promise<Workload> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(path, `cannot read the workload file (${describeFsError(error)})`, { cause: error });
  }
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
  const document = parseDocument(text);
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const position = syntaxError.linePos?.[0];
    const where = position ? `${source}:${position.line}:${position.col}` : source;
    throw new InputError(where, `invalid YAML: ${syntaxError.message.trim()}`);
  }
  const data: unknown = document.toJS() ?? {};
  const result = WorkloadYamlSchema.safeParse(data);
  if (!result.success) throw issueToError(result.error.issues, source);
  return resolveWorkload(result.data, source, baseDir);
}

function issueToError(issues: readonly z.core.$ZodIssue[], source: string): InputError {
  // An unknown key usually explains the other issues (a misspelt field looks missing), so it goes first.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (!issue) return new InputError(source, 'invalid workload');
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  return new InputError(`${source}: ${formatFieldPath(path)}`, issue.message);
}

/** ["stages", 0, "batchSizes", 2] -> "stages[0].batchSizes[2]". */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
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

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? String(error);
}
