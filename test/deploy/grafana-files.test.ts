/**
 * deploy/grafana checked without Docker (no engine here): the compose file parses and every file
 * it mounts exists, the scrape config passes `promtool check config`, the provisioning points at
 * the mounted dashboards and at the datasource uid the panels name, and every metric a dashboard
 * reads is one pipebench exports (the live exporter's families as rendered, serve's /metrics as
 * rendered) or, in an optional panel, a declared DCGM exporter series.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderLiveMetrics } from '../../src/cli/live/live-metrics.js';
import { initialLiveState } from '../../src/cli/live/live-state.js';
import { ServeMetrics } from '../../src/serve/prometheus.js';
import { allPanels, dashboardQueries, GRAFANA_DIR, metricNames, readDashboards, withGrafanaVariables } from './dashboards.js';
import { requireTool, runWithInput } from './tools.js';

/** NVIDIA dcgm-exporter's default counters that the optional GPU-node panels read. */
const DCGM_SERIES = ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_POWER_USAGE'];

/** The series names an exposition's TYPE lines declare: summaries and histograms with their parts. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\w+) (\w+)$/gm)) {
    names.add(name!);
    if (type === 'summary' || type === 'histogram') ['_sum', '_count'].forEach((part) => names.add(name! + part));
    if (type === 'histogram') names.add(`${name!}_bucket`);
  }
  return names;
}

const LIVE = exportedNames(renderLiveMetrics(initialLiveState(0), { workload: '' }));
const SERVE = exportedNames(new ServeMetrics(() => 0).render());

interface Compose {
  services: Record<string, { image: string; volumes?: string[]; ports?: string[] }>;
}
const compose = parse(readFileSync(join(GRAFANA_DIR, 'docker-compose.yml'), 'utf8')) as Compose;

describe('deploy/grafana', () => {
  it('compose: prometheus and grafana, loopback ports only, every bind-mounted file or folder exists', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'prometheus']);
    const binds = Object.values(compose.services).flatMap((service) => (service.volumes ?? []).filter((v) => v.startsWith('./')));
    expect(binds.length).toBeGreaterThanOrEqual(3);
    for (const bind of binds) expect(existsSync(resolve(GRAFANA_DIR, bind.split(':')[0]!)), bind).toBe(true);
    for (const service of Object.values(compose.services)) {
      expect(service.image).toMatch(/^[\w./-]+:[\w.-]+$/); // pinned tag
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('the scrape config passes promtool check config', async () => {
    const checked = await runWithInput(requireTool('promtool'), ['check', 'config', join(GRAFANA_DIR, 'prometheus', 'prometheus.yml')], '');
    expect(checked.code, checked.output).toBe(0);
  });

  it('provisioning: the dashboards folder is where compose mounts it; panels name the provisioned datasource', () => {
    const provider = parse(readFileSync(join(GRAFANA_DIR, 'provisioning', 'dashboards', 'pipebench.yml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    const dashboardsMount = compose.services['grafana']!.volumes!.find((v) => v.startsWith('./dashboards:'))!;
    expect(dashboardsMount.split(':')[1]).toBe(provider.providers[0]!.options.path);
    const datasources = parse(readFileSync(join(GRAFANA_DIR, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    const [datasource] = datasources.datasources;
    expect(datasource).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const dashboards = readDashboards();
    expect(dashboards.length).toBeGreaterThan(0);
    for (const { json } of dashboards) {
      const panels = allPanels(json).filter((panel) => panel.type !== 'row');
      expect(new Set(allPanels(json).map((p) => p.id)).size).toBe(allPanels(json).length);
      for (const panel of panels) {
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        expect(panel.datasource?.uid, panel.title).toBe(datasource!.uid);
        for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe(datasource!.uid);
      }
    }
  });

  it('the dashboard has the panels the issue asks for', () => {
    const titles = dashboardQueries().map((q) => q.panel.toLowerCase());
    for (const topic of [
      'latency',
      'load level',
      'items per second',
      'errors by class',
      'gpu utilisation',
      'gpu power',
      'event-loop',
      'cpu',
    ])
      expect(
        titles.some((title) => title.includes(topic)),
        topic,
      ).toBe(true);
  });

  it('every metric a panel reads is exported by pipebench; optional panels may read serve or DCGM series', () => {
    const queries = dashboardQueries();
    for (const query of queries) {
      const names = metricNames(withGrafanaVariables(query.expr));
      expect(names.length, query.expr).toBeGreaterThan(0);
      const known = query.optional ? new Set([...LIVE, ...SERVE, ...DCGM_SERIES]) : LIVE;
      expect(
        names.filter((name) => !known.has(name)),
        `${query.panel}: ${query.expr}`,
      ).toEqual([]);
    }
    expect(queries.some((q) => q.optional && metricNames(q.expr).some((n) => SERVE.has(n)))).toBe(true);
    expect(queries.some((q) => q.optional && metricNames(q.expr).some((n) => DCGM_SERIES.includes(n)))).toBe(true);
  });

  it('panels fit the 24-column grid and do not overlap', () => {
    for (const { json } of readDashboards()) {
      const taken = new Map<string, string>();
      for (const panel of json.panels) {
        const { x, y, w, h } = panel.gridPos;
        expect(x + w, panel.title).toBeLessThanOrEqual(24);
        for (let col = x; col < x + w; col++)
          for (let row = y; row < y + h; row++) {
            expect(taken.get(`${col},${row}`), `${panel.title} at ${col},${row}`).toBeUndefined();
            taken.set(`${col},${row}`, panel.title);
          }
      }
    }
  });

  it('a missing prometheus or promtool fails the test, saying which package to install', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = GRAFANA_DIR; // a folder with no such executables
    try {
      expect(() => requireTool('prometheus')).toThrow(/^prometheus is not on PATH: install Debian's prometheus package/);
      expect(() => requireTool('promtool')).toThrow(/^promtool is not on PATH/);
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('metricNames reads names, not functions, labels, ranges or grouping', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{route="x y"}[4s]))) / on(job) b_total offset 1m or vector(0)',
      ),
    ).toEqual(['a_bucket', 'b_total']);
    expect(metricNames('rate(x_sum[4s]) / rate(x_count[4s])')).toEqual(['x_sum', 'x_count']);
    expect(() => withGrafanaVariables('rate(x[$__unknown])')).toThrow(/unknown Grafana variable/);
  });
});
