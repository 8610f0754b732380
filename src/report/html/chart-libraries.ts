/**
 * Vega and Vega-Lite for rendering charts in Node, loaded once, on first use. Their packages ship
 * single-file builds (build/vega.min.js, build/vega-lite.min.js: each package's own unpkg/jsdelivr
 * entry) beside their ES module entries, which import ~300 modules (d3-geo-projection alone ~110,
 * map projections a chart never uses): the two files cost ~0.4 s less CPU to load than that graph,
 * about half of what a short run spends writing its report. They are run as CommonJS would run
 * them, Vega-Lite given this Vega. Where they are not found (a bundle carried without
 * node_modules), the package entries serve: the same code, the same SVG.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';

export interface ChartLibraries {
  readonly vega: Pick<typeof Vega, 'parse' | 'View'>;
  readonly vegaLite: Pick<typeof VegaLite, 'compile'>;
  /** Which copy was loaded: the single-file builds, or the packages' module entries. */
  readonly source: 'single-file' | 'modules';
}

let loaded: Promise<ChartLibraries> | null = null;

export function chartLibraries(): Promise<ChartLibraries> {
  loaded ??= singleFileBuilds().then((single) => single ?? moduleEntries());
  return loaded;
}

export async function moduleEntries(): Promise<ChartLibraries> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega, vegaLite, source: 'modules' };
}

/** Null when either file is not there or does not give what rendering needs. */
export async function singleFileBuilds(): Promise<ChartLibraries | null> {
  try {
    const vega = runAsCommonJs(buildFile('vega', 'vega.min.js'), {}) as ChartLibraries['vega'];
    const vegaLite = runAsCommonJs(buildFile('vega-lite', 'vega-lite.min.js'), { vega }) as ChartLibraries['vegaLite'];
    const complete = typeof vega.parse === 'function' && typeof vega.View === 'function' && typeof vegaLite.compile === 'function';
    return complete ? { vega, vegaLite, source: 'single-file' } : null;
  } catch {
    return null;
  }
}

/** A file of a package's build/ folder, where both packages keep their entry. */
function buildFile(packageName: string, file: string): string {
  return join(dirname(createRequire(import.meta.url).resolve(packageName)), file);
}

/** Runs a UMD file as Node runs a CommonJS one; its `require` answers only the packages given. */
function runAsCommonJs(path: string, packages: Readonly<Record<string, unknown>>): unknown {
  const module = { exports: {} as unknown };
  const require = (name: string): unknown => {
    if (Object.hasOwn(packages, name)) return packages[name];
    throw new Error(`${path} asks for ${name}`);
  };
  compileFunction(readFileSync(path, 'utf8'), ['exports', 'require', 'module'], { filename: path })(module.exports, require, module);
  return module.exports;
}
