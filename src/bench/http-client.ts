/**
 * One bench:scrape round, run as its own process (so each round starts cold and alike):
 *
 *   node dist/bench/http-client.js <pipebench|pipebench+scrape> <port> <seconds> <connections> [metricsUrl] [intervalMs]
 *
 * Prints one JSON line: { mode, requests, requestsPerSec, p50Us, cpuUsPerRequest, scrape? }.
 * - pipebench: the real run path — closed-loop driver, HTTP target (undici, template protocol),
 *   unique corpus texts, HDR recorder — with 1 s of warm-up.
 * - pipebench+scrape: the same with the run's server-metrics session scraping beside it.
 * (bench:http compares pipebench with its peers through the CLI: peer-clients.ts.)
 */
import { epochNowMs } from '../core/clock.js';
import { StepRecorder } from '../metrics/recorder.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { createHttpTarget } from '../targets/http/target.js';
import { BUILTIN_CORPUS_PATH } from '../workload/defaults.js';
import { loadCorpus, TextSource } from '../workload/corpus.js';
import type { HttpTargetSpec } from '../core/workload.js';
import { startServerMetrics, type ServerScrapingCost } from '../telemetry/server-metrics/session.js';

export interface RoundResult {
  readonly mode: 'pipebench' | 'pipebench+scrape';
  readonly requests: number;
  readonly requestsPerSec: number;
  readonly p50Us: number;
  /** The client process's CPU (user + system) over the measured part, per request. */
  readonly cpuUsPerRequest: number;
  /** pipebench+scrape: what the scraping worker beside the load did and cost (as harnessHealth.serverScraping). */
  readonly scrape?: ServerScrapingCost;
}

const HOST = '127.0.0.1';
const WARMUP_MS = 1000;
export function benchTargetSpec(port: number, connections: number): HttpTargetSpec {
  return {
    kind: 'http',
    url: `http://${HOST}:${port}`,
    protocol: 'template',
    endpoints: {},
    connections,
    pipelining: 1,
    timeouts: { connectMs: 5000, headersMs: 10_000, bodyMs: 10_000 },
    retries: 0,
    maxResponseBytes: 1 << 20,
    headers: {},
    auth: null,
    health: { routes: [], auto: false },
    options: { protocol: 'template', method: 'POST', body: '{"text": {{text}}}', outputPath: 'output', serverTime: null },
  };
}

async function pipebenchRound(port: number, seconds: number, connections: number): Promise<RoundResult> {
  const target = await createHttpTarget(benchTargetSpec(port, connections), { env: process.env });
  try {
    await target.configure('classify', { maxBatchSize: 1, maxQueueDelayMs: 0, maxNewTokens: 1 });
    const texts = new TextSource(await loadCorpus(BUILTIN_CORPUS_PATH), { seed: 1, uniqueTexts: true });
    const recorder = new StepRecorder();
    const durationMs = seconds * 1000;
    const cpuBefore = process.cpuUsage();
    const outcome = await runClosedLoop({
      target,
      stage: 'classify',
      concurrency: connections,
      texts,
      warmup: { durationMs: WARMUP_MS },
      measure: { durationMs, maxDurationMs: durationMs * 2 },
      sink: recorder,
      clock: epochNowMs,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const m = recorder.finish();
    // The CPU figure covers warm-up too, so it is divided by every request sent.
    const cpuUsPerRequest = (cpu.user + cpu.system) / (outcome.warmupItems + outcome.measuredItems);
    if (m.errors.total > 0) throw new Error(`pipebench round saw errors: ${JSON.stringify(m.errors.byClass)}`);
    return {
      mode: 'pipebench',
      requests: m.completed,
      requestsPerSec: m.throughput.itemsPerSec,
      p50Us: (m.latencyMs.e2e?.p50 ?? 0) * 1000,
      cpuUsPerRequest,
    };
  } finally {
    await target.close();
  }
}

/** The pipebench round with the run's server-metrics session (its scraping worker) beside it in the same process (bench:scrape). */
async function scrapingRound(
  port: number,
  seconds: number,
  connections: number,
  metricsUrl: string,
  intervalMs: number,
): Promise<RoundResult> {
  const session = await startServerMetrics({ urls: [metricsUrl], intervalMs, warn: (message) => process.stderr.write(`${message}\n`) });
  if (session === null) throw new Error(`nothing to scrape at ${metricsUrl}`);
  try {
    const result = await pipebenchRound(port, seconds, connections);
    return { ...result, mode: 'pipebench+scrape', scrape: await session.finish() };
  } finally {
    await session.finish();
  }
}

const [mode, portArg, secondsArg, connectionsArg, metricsUrl, intervalArg] = process.argv.slice(2);
const port = Number(portArg);
const seconds = Number(secondsArg);
const connections = Number(connectionsArg ?? '1');
const round =
  mode === 'pipebench'
    ? pipebenchRound(port, seconds, connections)
    : mode === 'pipebench+scrape'
      ? scrapingRound(port, seconds, connections, metricsUrl ?? '', Number(intervalArg ?? '250'))
      : Promise.reject(new Error(`unknown mode "${mode}" (pipebench | pipebench+scrape)`));
process.stdout.write(`${JSON.stringify(await round)}\n`);
