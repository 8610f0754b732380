/**
 * A metrics URL that 404s, hangs, answers HTML, answers 20 MB, or disappears mid-run: one warning
 * each (credentials masked), the scraper stays bounded in time and bytes, and the scrapes it did
 * get are kept. Real node:http servers on 127.0.0.1.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EndpointScraper } from '../../../src/telemetry/server-metrics/scraper.js';
import { startServerMetrics } from '../../../src/telemetry/server-metrics/session.js';

type Behaviour = (res: ServerResponse, hit: number) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(behaviour: Behaviour): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    behaviour(res, hits);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server, hits: () => hits };
}

const prometheus = (res: ServerResponse, value: number): void => {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(`# TYPE up_total counter\nup_total ${value}\n`);
};

async function scrapeTimes(scraper: EndpointScraper, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await scraper.scrapeNow();
}

describe('EndpointScraper faults', () => {
  it.each([
    ['404', (res: ServerResponse) => res.writeHead(404).end('no'), /answered HTTP 404/],
    [
      'HTML with an HTML type',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'),
      /answered text\/html, not Prometheus text/,
    ],
    [
      'HTML as text/plain',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/plain' }).end('<!doctype html><p>login</p>'),
      /answered HTML/,
    ],
    [
      'plain text that is not exposition',
      (res: ServerResponse) => res.writeHead(200).end('hello world\nthis is not it\n'),
      /not Prometheus exposition/,
    ],
  ])('%s: one warning for three scrapes, nothing stored', async (_name, behaviour, message) => {
    const { url } = await serve(behaviour);
    const warnings: string[] = [];
    const scraper = new EndpointScraper(url, { onFault: (m) => warnings.push(m) });
    await scrapeTimes(scraper, 3);
    const cost = await scraper.stop();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
    expect(warnings[0]).toContain(url);
    expect(cost).toMatchObject({ scrapes: 0, failures: 3 });
    expect(scraper.store.scrapes).toHaveLength(0);
  });

  it('a hung server costs the timeout per scrape, not more, and one warning', async () => {
    const { url } = await serve(() => undefined); // never answers
    const warnings: string[] = [];
    const scraper = new EndpointScraper(url, { timeoutMs: 300, onFault: (m) => warnings.push(m) });
    const started = performance.now();
    await scrapeTimes(scraper, 2);
    const elapsedMs = performance.now() - started;
    await scraper.stop();
    expect(warnings).toEqual([expect.stringMatching(/no answer within 300 ms/)]);
    expect(elapsedMs).toBeGreaterThanOrEqual(2 * 300 - 20);
    // Two timeouts plus a loaded machine's lag, far from a hang.
    expect(elapsedMs).toBeLessThan(2 * 300 + 2000);
  });

  it('a 20 MB page is refused once it passes the byte limit, not read to its end', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const { url } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 20; i++) res.write(chunk);
      res.end();
    });
    const warnings: string[] = [];
    const scraper = new EndpointScraper(url, { onFault: (m) => warnings.push(m) });
    await scrapeTimes(scraper, 2);
    const cost = await scraper.stop();
    expect(warnings).toEqual([expect.stringMatching(/page larger than 8 MiB, not read/)]);
    expect(cost.bytes).toBe(0);
  });

  it('a server that disappears mid-run: the scrapes before are kept, one warning for the rest', async () => {
    const { url, server } = await serve((res, hit) => prometheus(res, hit * 10));
    const warnings: string[] = [];
    const scraper = new EndpointScraper(url, { onFault: (m) => warnings.push(m) });
    await scrapeTimes(scraper, 3);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await scrapeTimes(scraper, 3);
    const cost = await scraper.stop();
    expect(cost).toMatchObject({ scrapes: 3, failures: 3 });
    expect(scraper.store.scrapes).toHaveLength(3);
    expect(warnings).toEqual([expect.stringMatching(/unreachable \(ECONNREFUSED\)/)]);
  });

  it('credentials in the URL go as basic auth and never appear in a warning', async () => {
    let authorization: string | undefined;
    const server = createServer((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(401).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const warnings: string[] = [];
    const scraper = new EndpointScraper(`http://scraper:s3cr%40t-pw@127.0.0.1:${port}/metrics?token=abc123`, {
      onFault: (m) => warnings.push(m),
    });
    await scraper.scrapeNow();
    await scraper.stop();
    expect(authorization).toBe(`Basic ${Buffer.from('scraper:s3cr@t-pw').toString('base64')}`);
    expect(scraper.shownUrl).toBe(`http://***@127.0.0.1:${port}/metrics?***`);
    expect(warnings).toHaveLength(1);
    for (const secret of ['s3cr', 'pw', 'abc123', Buffer.from('scraper:s3cr@t-pw').toString('base64')])
      expect(warnings[0]).not.toContain(secret);
  });
});

describe('startServerMetrics', () => {
  it("uses the target's own /metrics only when its first answer is Prometheus text", async () => {
    const good = await serve((res, hit) => prometheus(res, hit));
    const notes: string[] = [];
    const session = await startServerMetrics({
      urls: [],
      autoUrl: good.url,
      intervalMs: 50,
      warn: () => undefined,
      note: (m) => notes.push(m),
    });
    expect(session?.urls).toEqual([good.url]);
    await session?.finish();
    const html = await serve((res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html/>'));
    const none = await startServerMetrics({
      urls: [],
      autoUrl: html.url,
      intervalMs: 50,
      warn: () => expect.fail('no warning for a target without metrics'),
      note: (m) => notes.push(m),
    });
    expect(none).toBeNull();
    expect(html.hits()).toBe(1);
    expect(notes[1]).toMatch(/did not answer Prometheus text/);
  });

  it('starts no scraping worker thread for a target whose /metrics is not there (404): one request, one note', async () => {
    const missing = await serve((res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found'));
    const good = await serve((res, hit) => prometheus(res, hit));
    let workersStarted = 0;
    const counting = (): void => void (workersStarted += 1);
    process.on('worker', counting);
    try {
      const notes: string[] = [];
      const none = await startServerMetrics({
        urls: [],
        autoUrl: missing.url,
        intervalMs: 50,
        warn: () => expect.fail('no warning for a target without metrics'),
        note: (m) => notes.push(m),
      });
      expect(none).toBeNull();
      expect(missing.hits()).toBe(1);
      expect(notes).toEqual([expect.stringMatching(/did not answer Prometheus text \(.*HTTP 404.*\); not scraped/)]);
      expect(workersStarted).toBe(0);
      // The same call for a target that serves metrics does start the worker: the count above could see one.
      const session = await startServerMetrics({ urls: [], autoUrl: good.url, intervalMs: 50, warn: () => undefined });
      expect(session?.urls).toEqual([good.url]);
      await session?.finish();
      expect(workersStarted).toBe(1);
    } finally {
      process.off('worker', counting);
    }
  });

  it('reports a step from the scrapes around it, with a fresh scrape at its end', async () => {
    const started = Date.now();
    const counter = await serve((res) => prometheus(res, Date.now() - started)); // grows 1 per ms
    const session = (await startServerMetrics({ urls: [counter.url], intervalMs: 50, warn: () => undefined }))!;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const toMs = Date.now();
    const fromMs = toMs - 200;
    const { metrics } = await session.stepReport(fromMs, toMs, { requests: 0, items: 0, inferenceMsMean: null }, 'step 0');
    const cost = await session.finish();
    const increase = metrics?.endpoints[0]?.raw.up_total ?? NaN;
    // 200 ms of a counter that grows 1 per ms, interpolated between scrapes 50 ms apart: close to 200.
    expect(increase).toBeGreaterThan(150);
    expect(increase).toBeLessThan(250);
    expect(cost.scrapes).toBeGreaterThanOrEqual(4);
    expect(cost.cpuMsPerScrape).not.toBeNull();
  });
});
