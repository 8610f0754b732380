/**
 * Reading a YAML input file the user wrote (a workload, a budgets file): the text, the YAML, then a
 * zod schema. Every failure is one InputError naming the file and, for schema errors, the field
 * path ("<file>: stages[0].batchSizes[2]") or, for YAML syntax, "<file>:<line>:<col>".
 */
import { readFile } from 'node:fs/promises';
import { parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { formatFieldPath } from '../field-path.js';
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
    // The yaml package ends its message with " at line L, column C:" and a code frame: the
    // position is in `where`, and the frame is for --verbose.
    const [first = '', ...frame] = syntaxError.message.split('\n');
    const summary = first.replace(/ at line \d+, column \d+:?\s*$/, '').trim();
    const detail = frame.join('\n').replace(/^\n+|\s+$/g, '');
    throw new InputError(where, `invalid YAML: ${summary}`, detail === '' ? undefined : { detail });
  }
  const data: unknown = toPlainData(document, source) ?? {};
  const result = schema.safeParse(data);
  if (!result.success) throw issueToError(result.error.issues, source, what);
  return result.data;
}

/**
 * How many alias expansions a file may make (the yaml package weighs each alias by the aliases
 * inside what it names): a few lines of nested anchors (a "billion laughs" file) would otherwise
 * expand to gigabytes. Hand-written workloads use a handful.
 */
const MAX_ALIAS_COUNT = 100;

function toPlainData(document: Document, source: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws ReferenceError for alias faults (too many, or an unknown anchor).
    if (!(error instanceof ReferenceError)) throw error;
    const reason = /excessive alias count/i.test(error.message)
      ? `its aliases (*name) expand past the limit of ${MAX_ALIAS_COUNT} (a workload needs only a few; is this an alias bomb?)`
      : error.message;
    throw new InputError(source, `invalid YAML: ${reason}`, { cause: error });
  }
}

function issueToError(issues: readonly z.core.$ZodIssue[], source: string, what: string): InputError {
  // An unknown key usually explains the other issues (a misspelt field looks missing), so it goes first.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (!issue) return new InputError(source, `invalid ${what}`);
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  return new InputError(`${source}: ${formatFieldPath(path)}`, issue.message);
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? String(error);
}
