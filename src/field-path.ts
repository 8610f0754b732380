/** How every input error names a field inside a file: "stages[0].batchSizes[2]", "inputs[0].name". */

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
