/**
 * The metrics page bench:scrape scrapes: a Prometheus text page of about `--bytes` (default 1 MB)
 * in the shape a busy server exposes (labelled counters, gauges and histogram buckets). Two
 * versions are rendered up front and served in turn, so the page changes between scrapes while
 * the server spends no CPU rendering it. Prints {"port": N} once listening; exits on SIGTERM.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { bytes: { type: 'string', default: String(1024 * 1024) } } });
const targetBytes = Number(values.bytes);

function page(tick: number): Buffer {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const family = `bench_family_${i}`;
    const labels = `model="model-${i % 37}",route="/v2/models/model-${i % 37}/infer",instance="node-${i % 5}:8002"`;
    const block =
      i % 3 === 0
        ? [
            `# HELP ${family}_total Requests of family ${i}.`,
            `# TYPE ${family}_total counter`,
            `${family}_total{${labels}} ${1000 * i + tick}`,
          ]
        : i % 3 === 1
          ? [`# TYPE ${family} gauge`, `${family}{${labels}} ${(i * 0.37 + tick) % 100}`]
          : [
              `# TYPE ${family}_seconds histogram`,
              ...[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1].map(
                (le, k) => `${family}_seconds_bucket{${labels},le="${le}"} ${(k + 1) * 10 + tick}`,
              ),
              `${family}_seconds_bucket{${labels},le="+Inf"} ${90 + tick}`,
              `${family}_seconds_sum{${labels}} ${12.5 + tick}`,
              `${family}_seconds_count{${labels}} ${90 + tick}`,
            ];
    for (const line of block) {
      lines.push(line);
      bytes += line.length + 1;
    }
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

const pages = [page(0), page(1)];
let served = 0;
const server = createServer((request, response) => {
  request.resume();
  const body = pages[served++ % pages.length]!;
  response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': String(body.length) });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  process.stdout.write(`${JSON.stringify({ port: address.port, bytes: pages[0]!.length })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
