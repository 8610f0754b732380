/** The Server section of report.md and report.html, and report.json's schema, for steps with scraped server metrics. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import type { ServerEndpointStep } from '../../src/core/report/server-metrics.js';
import { renderHtml } from '../../src/report/html/index.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown/index.js';
import { endpointStep } from '../../src/telemetry/server-metrics/endpoint-step.js';
import { parseExposition } from '../../src/telemetry/server-metrics/exposition.js';
import { ScrapeStore } from '../../src/telemetry/server-metrics/scrape-store.js';
import { syntheticReport } from './synthetic-run.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url)), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function scraped(url: string, first: string, second: string, requests: number): ServerEndpointStep {
  const store = new ScrapeStore();
  store.ingest(0, parseExposition(first));
  store.ingest(1000, parseExposition(second));
  return endpointStep(
    url,
    store.scrapes,
    store.series,
    { fromMs: 0, toMs: 1000 },
    { requests, items: requests, inferenceMsMean: 50 },
    'step',
  ).step;
}

const TRITON = (success: number, execs: number, queueUs: number, inferUs: number, util: number, watts: number): string =>
  [
    `nv_inference_request_success{model="m",version="1"} ${success}`,
    `nv_inference_count{model="m",version="1"} ${success}`,
    `nv_inference_exec_count{model="m",version="1"} ${execs}`,
    `nv_inference_queue_duration_us{model="m",version="1"} ${queueUs}`,
    `nv_inference_compute_infer_duration_us{model="m",version="1"} ${inferUs}`,
    `nv_gpu_utilization{gpu_uuid="GPU-1"} ${util}`,
    `nv_gpu_power_usage{gpu_uuid="GPU-1"} ${watts}`,
  ].join('\n');

function withServer(): RunReport {
  const report = syntheticReport();
  const endpoint = scraped(
    'http://***@gpu-node:8002/metrics',
    TRITON(0, 0, 0, 0, 0.5, 300),
    TRITON(64, 8, 64 * 4000, 64 * 9000, 0.9, 500),
    64,
  );
  const shared = { ...endpoint, shared: true };
  return { ...report, steps: report.steps.map((step, i) => ({ ...step, serverMetrics: { endpoints: [i === 0 ? endpoint : shared] } })) };
}

describe('server metrics in the reports', () => {
  it('report.json with serverMetrics and serverScraping passes the schema; a mistyped field does not', () => {
    const report = withServer();
    const health = {
      wallMs: 1,
      cpuUserMs: 0,
      cpuSystemMs: 0,
      cpuShare: 0,
      eventLoopDelay: null,
      gpuSampling: null,
      serverScraping: { endpoints: 1, scrapes: 9, failures: 1, bytes: 900, parseMs: 1, cpuMs: 1, cpuMsPerScrape: 0.11, cpuShare: 0.01 },
    };
    const json = JSON.parse(renderJson({ ...report, harnessHealth: health })) as {
      steps: { serverMetrics: { endpoints: Record<string, unknown>[] } }[];
    };
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    json.steps[0]!.serverMetrics.endpoints[0]!.source = 'apache';
    expect(validate(json)).toBe(false);
  });

  it('report.md: per step the server batch size, queue, compute and request counts, a remote GPU table, and shared steps flagged', () => {
    const markdown = renderMarkdown(withServer());
    expect(markdown).toContain('Server during each measured step, from http://***@gpu-node:8002/metrics');
    expect(markdown).toMatch(
      /\| server \| requests server \/ client \| server batch mean \(max\) \| queue mean \/ p95 \| compute mean \/ p95 \|/,
    );
    expect(markdown).toMatch(/\| triton \| 64 \/ \d+ \| 8\.0 \| 4(\.0+)? ms \| 9(\.0+)? ms \|/);
    expect(markdown).toContain('shared: the server counted far more requests than this run sent');
    expect(markdown).toMatch(/Remote GPU from http:\/\/\*\*\*@gpu-node:8002\/metrics/);
    expect(markdown).toMatch(/\| 70 \/ 90 \/ 90 % \|/); // utilisation mean / p95 / max from the ratio gauge
    expect(markdown).toMatch(/\| 400 \/ 500 W \|/);
  });

  it('report.html: a Server section with the same tables, text escaped', async () => {
    const report = withServer();
    const html = await renderHtml(report);
    expect(html).toContain('<section id="server">');
    expect(html).toContain('<h3>http://***@gpu-node:8002/metrics</h3>');
    expect(html).toContain('<th>server batch mean (max)</th>');
    expect(html).toContain('<td>triton</td>');
    const none = await renderHtml(syntheticReport());
    expect(none).not.toContain('<section id="server">');
  });
});
