/**
 * A Vega-Lite spec to an SVG string in Node: vega-lite compiles it to Vega, Vega's headless view
 * (renderer 'none': no DOM, no canvas) renders it. Async because Vega's toSVG is.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Transparent background (the page colours it), system fonts only: nothing to fetch. */
const CONFIG = {
  background: 'transparent',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec, { config: CONFIG }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
