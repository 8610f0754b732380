/**
 * The house keeps its shape: no import circle between files of src/, and the lint rule that keeps
 * imports pointing down the floors (eslint.config.js FLOORS) fires on an import that runs back up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** file -> the src files it imports (type-only imports included: a circle of types is still a circle). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(ROOT, resolve(dirname(file), name.replace(/\.js$/, '.ts'))));
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('import graph of src/', () => {
  it('finds a circle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import circle between files', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(circles(graph)).toEqual([]);
  });

  it('puts every room of src/ on a floor, so lint checks its imports too', async () => {
    const { FLOORS } = (await import(pathToFileURL(join(ROOT, 'eslint.config.js')).href)) as { FLOORS: readonly (readonly string[])[] };
    const rooms = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(rooms.filter((room) => !FLOORS.flat().includes(room))).toEqual([]);
  });

  it('lint refuses an import that runs back up the floors, and allows one that runs down', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const up = await eslint.lintText("import type { RunnerTarget } from '../../runner/types.js';\nexport type T = RunnerTarget;\n", {
      filePath: join(SRC, 'targets/http/probe.ts'),
    });
    expect(up[0]?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    const ground = await eslint.lintText("import { checkBudget } from '../analysis/budget.js';\nexport const c = checkBudget;\n", {
      filePath: join(SRC, 'core/probe.ts'),
    });
    expect(ground[0]?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    const down = await eslint.lintText("import type { Stage } from '../core/stage.js';\nexport type S = Stage;\n", {
      filePath: join(SRC, 'analysis/probe.ts'),
    });
    expect(down[0]?.messages).toEqual([]);
  });
});
