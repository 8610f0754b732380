/** A server-sweep workload over the known-batcher fixture, for the CLI tests. */
import { join } from 'node:path';

const KNOWN = join(import.meta.dirname, '..', 'fixtures', 'servers', 'known-batcher.mjs');
const PROMPTS = join(import.meta.dirname, '..', 'fixtures', 'workloads', 'prompts.jsonl');

export interface SweepWorkloadOptions {
  /** Put on the server's command line, so the test finds its processes. */
  readonly tag: string;
  /** The server.params mapping, as YAML. */
  readonly params: string;
  readonly concurrency: number;
  /** false: the grid. */
  readonly search?: false;
  /** More known-batcher flags (--faults ...). */
  readonly extra?: string;
  readonly readyTimeout?: string;
  readonly measure?: string;
  readonly budget?: string;
  /** Scrape the launched servers' /metrics (the URL names no port: the launched one is used). */
  readonly serverMetrics?: boolean;
}

export function sweepWorkload(options: SweepWorkloadOptions): string {
  const launch =
    `${process.execPath} ${KNOWN} --port {port} --max-batch {maxBatchSize}` +
    (options.params.includes('maxQueueDelayMs') ? ' --max-queue-delay-ms {maxQueueDelayMs}' : '') +
    ` ${options.extra ?? ''} --tag ${options.tag}`;
  return `name: known-batcher
corpus: { path: ${PROMPTS} }
target:
  url: http://127.0.0.1
  protocol: template
  template: { body: '{"text": {{text}}}', output: label }
${options.serverMetrics === true ? '  serverMetrics: { urls: [http://127.0.0.1/metrics], interval: 100ms }\n' : ''}server:
  launch: "${launch}"
  health: /health
  readyTimeout: ${options.readyTimeout ?? '20s'}
  stopGrace: 500ms
  params: ${options.params}
${options.search === false ? '  search: false\n' : ''}warmup: { duration: 300ms }
measure: ${options.measure ?? '{ duration: 1s, maxDuration: 10s }'}
stability: false
budget: ${options.budget ?? '{ p95: 500ms, p99: 1s, maxErrorRate: 1% }'}
stages: [{ stage: classify, concurrency: [${options.concurrency}] }]
`;
}
