/**
 * A Vega-Lite spec to an SVG string in Node: vega-lite compiles it to Vega, Vega's headless view
 * (renderer 'none': no DOM, no canvas) renders it. Async because Vega's toSVG is. A run rewrites
 * report.html after every step and once more at its end, mostly with the same charts: a spec
 * rendered lately is answered from memory (the same spec gives the same SVG) instead of again
 * (~0.1 s of CPU a chart).
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartLibraries, type ChartLibraries } from './chart-libraries.js';

/** Transparent background (the page colours it), system fonts only: nothing to fetch. */
const CONFIG = {
  background: 'transparent',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' },
} as const;

/** Enough for every chart of a page (a page has at most ~8), so a whole page's rewrite hits. */
const REMEMBERED_CHARTS = 32;
const rendered = new Map<string, Promise<string>>();

export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const key = JSON.stringify(spec);
  const known = rendered.get(key);
  if (known !== undefined) {
    // Most recently used last, so the oldest is the one forgotten.
    rendered.delete(key);
    rendered.set(key, known);
    return known;
  }
  const svg = renderUncached(spec);
  rendered.set(key, svg);
  // A failed render is not remembered: the next write tries again.
  svg.catch(() => rendered.delete(key));
  if (rendered.size > REMEMBERED_CHARTS) rendered.delete(rendered.keys().next().value as string);
  return svg;
}

async function renderUncached(spec: TopLevelSpec): Promise<string> {
  return svgWith(await chartLibraries(), spec);
}

/** One render with the libraries given (tests: each copy of them draws the same). */
export async function svgWith({ vega, vegaLite }: ChartLibraries, spec: TopLevelSpec): Promise<string> {
  const vegaSpec = vegaLite.compile(spec, { config: CONFIG }).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
