/**
 * The Grafana dashboards in deploy/grafana/dashboards as data for the tests: each panel's PromQL
 * expressions, whether the panel is optional (its description starts "Optional:": it reads a
 * server's or DCGM's series, there only where those are scraped), the metric names an expression
 * reads, and the expression with Grafana's variables substituted for a plain Prometheus query.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GRAFANA_DIR = join(import.meta.dirname, '..', '..', 'deploy', 'grafana');
export const DASHBOARD_DIR = join(GRAFANA_DIR, 'dashboards');

export interface PanelJson {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly targets?: readonly { readonly refId: string; readonly expr: string; readonly datasource?: { readonly uid: string } }[];
  readonly panels?: readonly PanelJson[];
}

export interface DashboardJson {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly PanelJson[];
}

export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly optional: boolean;
  readonly expr: string;
}

export function readDashboards(): { readonly file: string; readonly json: DashboardJson }[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as DashboardJson }));
}

/** Every panel, those inside collapsed rows included. */
export function allPanels(dashboard: DashboardJson): PanelJson[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

export function dashboardQueries(): DashboardQuery[] {
  return readDashboards().flatMap(({ file, json }) =>
    allPanels(json).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        dashboard: file,
        panel: panel.title,
        optional: (panel.description ?? '').startsWith('Optional:'),
        expr: target.expr,
      })),
    ),
  );
}

/**
 * Grafana's variables as they resolve against a Prometheus scraping every second:
 * $__rate_interval = max(4 x scrape interval, $__interval + scrape interval).
 */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = { __rate_interval: '4s', __interval: '1s', __range: '1m' };

export function withGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    const value = GRAFANA_VARIABLES[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${whole} in: ${expr}`);
    return value;
  });
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

/**
 * The metric names a PromQL expression reads: identifiers left once strings, label matchers,
 * ranges and grouping clauses are removed, that are not a function call or a keyword.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const after = bare.slice(match.index + name.length).trimStart();
    const before = bare.slice(0, match.index);
    if (after.startsWith('(') || PROMQL_WORDS.has(name) || /[\d.]$/.test(before)) continue;
    names.add(name);
  }
  return [...names];
}
