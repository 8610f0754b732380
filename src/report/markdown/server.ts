/**
 * report.md's "Server" parts: what each scraped server said about each step (its batch size,
 * queue and compute time, requests against the client's), a remote GPU in the same table as the
 * local one, and what the scraping cost the harness.
 */
import type { ServerDistribution, ServerEndpointStep } from '../../core/report/server-metrics.js';
import type { RunReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';
import { formatMs } from '../../format.js';
import { GPU_COLUMNS, type GpuRow } from './gpu.js';
import { renderTable, type Column } from './table.js';

export interface ServerRow {
  readonly step: StepReport;
  readonly endpoint: ServerEndpointStep;
}

const dash = '-';

function msDistribution(d: ServerDistribution | null): string {
  if (d === null || d.mean === null) return dash;
  const tail = d.p95 === null ? '' : ` / ${formatMs(d.p95)}`;
  return `${formatMs(d.mean)}${tail}`;
}

function level(step: StepReport): string {
  if (step.openLoop !== null) return `${step.openLoop.targetRatePerSec}/s`;
  return step.concurrency === null ? dash : String(step.concurrency);
}

/** Requests the client completed or failed in the step, as a server counts them (a request of b texts once). */
export function clientRequests(step: StepReport): number {
  return Math.round((step.completed + step.errors.total) / (step.mode === 'static' ? step.batchSize : 1));
}

export const SERVER_COLUMNS: readonly Column<ServerRow>[] = [
  { header: 'batch', align: 'right', cell: (r) => String(r.step.batchSize) },
  { header: 'load', align: 'right', cell: (r) => level(r.step) },
  { header: 'server', cell: (r) => r.endpoint.source },
  {
    header: 'requests server / client',
    align: 'right',
    cell: (r) => `${r.endpoint.requests === null ? dash : Math.round(r.endpoint.requests)} / ${clientRequests(r.step)}`,
  },
  {
    header: 'server batch mean (max)',
    align: 'right',
    cell: (r) =>
      r.endpoint.batchSize?.mean == null
        ? dash
        : `${r.endpoint.batchSize.mean.toFixed(1)}${r.endpoint.maxBatchSize === null ? '' : ` (${r.endpoint.maxBatchSize})`}`,
  },
  { header: 'queue mean / p95', align: 'right', cell: (r) => msDistribution(r.endpoint.queueMs) },
  { header: 'compute mean / p95', align: 'right', cell: (r) => msDistribution(r.endpoint.computeMs) },
  { header: 'TTFT mean / p95', align: 'right', cell: (r) => msDistribution(r.endpoint.ttftMs) },
  { header: 'scrapes', align: 'right', cell: (r) => String(r.endpoint.scrapes) },
  { header: 'note', cell: (r) => (r.endpoint.shared ? 'shared: the server counted far more requests than this run sent' : '') },
];

export function serverRows(steps: readonly StepReport[]): ServerRow[] {
  return steps.flatMap((step) => (step.serverMetrics?.endpoints ?? []).map((endpoint) => ({ step, endpoint })));
}

export function remoteGpuRows(steps: readonly StepReport[]): (GpuRow & { readonly url: string })[] {
  return serverRows(steps).flatMap(({ step, endpoint }) =>
    endpoint.gpus.filter((gpu) => gpu.samples > 0).map((gpu) => ({ step, gpu, url: endpoint.url })),
  );
}

/** The server tables under a stage's step table; empty when no step has server metrics. */
export function stageServerSection(steps: readonly StepReport[]): string {
  const rows = serverRows(steps);
  if (rows.length === 0) return '';
  const lines: string[] = [];
  for (const url of new Set(rows.map((row) => row.endpoint.url))) {
    const own = rows.filter((row) => row.endpoint.url === url);
    lines.push(
      `Server during each measured step, from ${url} (its own metrics; queue and compute per request):`,
      '',
      renderTable(SERVER_COLUMNS, own),
      '',
    );
    const gpus = remoteGpuRows(own.map((row) => row.step)).filter((row) => row.url === url);
    if (gpus.length > 0)
      lines.push(
        `Remote GPU from ${url} (utilisation is time with a kernel running, not SM occupancy):`,
        '',
        renderTable(GPU_COLUMNS, gpus),
        '',
      );
  }
  return lines.join('\n').trimEnd();
}

/** The run's scraping: which URLs, how many scrapes, what they cost the harness; empty when nothing was scraped. */
export function serverScrapingSection(report: RunReport): string {
  const cost = report.harnessHealth?.serverScraping;
  if (!cost) return '';
  const perScrape =
    cost.cpuMsPerScrape === null
      ? ''
      : `, ${cost.cpuMsPerScrape.toFixed(2)} ms of CPU per scrape in the scraping worker thread (fetch, parse, store; off the load's thread)`;
  return `## Server metrics

- ${cost.scrapes} scrapes of ${cost.endpoints} URL${cost.endpoints === 1 ? '' : 's'}, ${cost.failures} failed${perScrape}`;
}
