/**
 * bench:scrape — what scraping a server's metrics costs the load beside it.
 *
 *   npm run bench:scrape -- [--rounds 6] [--seconds 4] [--connections 10] [--interval 250] [--bytes 1048576]
 *
 * One loopback echo server and one metrics server (a ~1 MB Prometheus page), each its own process.
 * Each round runs the pipebench HTTP client in a fresh process twice, without and with the run's
 * server-metrics session (its scraping worker thread) scraping that page every --interval ms in
 * the same process, alternating which goes first, so drift on a shared machine hits both alike.
 * Figures: the throughput loss (median of the per-round ratios; goal < 2 %), and per scrape the
 * parse time and the scraping worker thread's CPU (fetch, parse, store).
 * Also: parseExposition alone on the page, back to back (the parser's own cost).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseExposition } from '../telemetry/server-metrics/exposition.js';
import { firstJsonLine } from './child-rounds.js';
import { median } from './median.js';
import type { RoundResult } from './http-client.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '10' },
    interval: { type: 'string', default: '250' },
    bytes: { type: 'string', default: String(1024 * 1024) },
  },
});
const rounds = Number(values.rounds);
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

async function round(args: readonly string[]): Promise<RoundResult> {
  const child = spawn(process.execPath, [here('./http-client.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [result] = await Promise.all([firstJsonLine<RoundResult>(child), once(child, 'exit')]);
  if (child.exitCode !== 0) throw new Error(`${args[0]} round exited with ${child.exitCode}`);
  return result;
}

const echo = spawn(process.execPath, [here('./http-echo-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
const metrics = spawn(process.execPath, [here('./metrics-page-server.js'), '--bytes', values.bytes], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const [{ port }, page] = await Promise.all([
    firstJsonLine<{ port: number }>(echo),
    firstJsonLine<{ port: number; bytes: number }>(metrics),
  ]);
  const metricsUrl = `http://127.0.0.1:${page.port}/metrics`;
  const common = [String(port), values.seconds, values.connections];
  console.log(
    `bench:scrape: ${rounds} rounds of ${values.seconds} s, ${values.connections} connections; scraping a ${(page.bytes / 1e6).toFixed(2)} MB page every ${values.interval} ms\n`,
  );
  console.log('| round | req/s without | req/s with scraping | loss | scrapes | parse ms/scrape | worker CPU ms/scrape |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const losses: number[] = [];
  const parseMs: number[] = [];
  const cpuMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const without = () => round(['pipebench', ...common]);
    const withScrape = () => round(['pipebench+scrape', ...common, metricsUrl, values.interval]);
    const [off, on] =
      r % 2 === 0
        ? [await without(), await withScrape()]
        : await (async () => {
            const b = await withScrape();
            return [await without(), b] as const;
          })();
    const cost = on.scrape!;
    const loss = 1 - on.requestsPerSec / off.requestsPerSec;
    losses.push(loss);
    parseMs.push(cost.parseMs / Math.max(1, cost.scrapes));
    cpuMs.push(cost.cpuMs / Math.max(1, cost.scrapes));
    console.log(
      `| ${r + 1} | ${off.requestsPerSec.toFixed(0)} | ${on.requestsPerSec.toFixed(0)} | ${(loss * 100).toFixed(2)} % | ${cost.scrapes} (${cost.failures} failed) | ` +
        `${parseMs.at(-1)!.toFixed(2)} | ${cpuMs.at(-1)!.toFixed(2)} |`,
    );
  }
  const response = await fetch(metricsUrl);
  const text = await response.text();
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    parseExposition(text);
    times.push(performance.now() - started);
  }
  const parsed = parseExposition(text);
  console.log(`\nMedian throughput loss with scraping: ${(median(losses) * 100).toFixed(2)} % (goal < 2 %)`);
  console.log(
    `Per scrape, in the scraping worker: parse ${median(parseMs).toFixed(2)} ms, worker CPU ${median(cpuMs).toFixed(2)} ms (medians over rounds)`,
  );
  console.log(
    `parseExposition alone: ${median(times).toFixed(2)} ms for ${(text.length / 1e6).toFixed(2)} MB, ${parsed.samples.length} samples (median of 20)`,
  );
} finally {
  echo.kill('SIGTERM');
  metrics.kill('SIGTERM');
}
