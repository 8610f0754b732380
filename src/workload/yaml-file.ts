/**
 * Reading a YAML input file the user wrote (a workload, a budgets file): the text, the YAML, then a
 * zod schema. Every failure is one InputError naming the file and, for schema errors, the field
 * path ("<file>: stages[0].batchSizes[2]") or, for YAML syntax, "<file>:<line>:<col>".
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { decodeUtf8 } from '../utf8-text.js';

/** The file's text, which must be UTF-8; `what` names it in the error ("the workload file"). */
export async function readInputFile(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(path, `cannot read ${what} (${describeFsError(error)})`, { cause: error });
  }
  return decodeUtf8(bytes, path);
}

/** YAML text checked against `schema`; `source` names the file in errors, `what` an empty-issue fallback. */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, source: string, what: string): z.output<S> {
  const document = parseDocument(text);
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const position = syntaxError.linePos?.[0];
    const where = position ? `${source}:${position.line}:${position.col}` : source;
    throw new InputError(where, `invalid YAML: ${syntaxError.message.trim()}`);
  }
  const data: unknown = document.toJS() ?? {};
  const result = schema.safeParse(data);
  if (!result.success) throw issueToError(result.error.issues, source, what);
  return result.data;
}

function issueToError(issues: readonly z.core.$ZodIssue[], source: string, what: string): InputError {
  // An unknown key usually explains the other issues (a misspelt field looks missing), so it goes first.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (!issue) return new InputError(source, `invalid ${what}`);
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

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? String(error);
}
