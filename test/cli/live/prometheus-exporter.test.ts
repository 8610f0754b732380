import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { InputError } from '../../../src/errors.js';
import { parsePrometheusAddress, startLiveExporter, type LiveExporter } from '../../../src/cli/live/prometheus-exporter.js';
import { SPIKE, spikeRunEvents, T0 } from './live-events.js';

interface Exposition {
  readonly types: ReadonlyMap<string, string>;
  /** `name{labels}` as written -> value. */
  readonly samples: ReadonlyMap<string, number>;
}

/** The text format: HELP/TYPE comments, then `name{k="v",...} value` lines. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\w+) (counter|gauge|summary)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith('#')) continue;
    const sample = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!sample) throw new Error(`not an exposition line: ${line}`);
    samples.set(sample[1]!, Number(sample[2]));
  }
  return { types, samples };
}

async function scrape(url: string): Promise<{ status: number; contentType: string; exposition: Exposition }> {
  const response = await request(url);
  const text = await response.body.text();
  return { status: response.statusCode, contentType: String(response.headers['content-type']), exposition: parseExposition(text) };
}

const open: LiveExporter[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((exporter) => exporter.close()));
});

async function exporter(port = 0): Promise<LiveExporter> {
  let now = T0;
  const started = await startLiveExporter({ host: '127.0.0.1', port, workload: 'spike-smoke', clock: () => now++ });
  open.push(started);
  return started;
}

describe('startLiveExporter', () => {
  it('serves the live run on GET /metrics, in Prometheus units, as the events arrive', async () => {
    const live = await exporter();
    expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const before = await scrape(live.url);
    expect(before.status).toBe(200);
    expect(before.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(before.exposition.samples.size).toBe(0); // nothing known yet, but every family declared
    expect(before.exposition.types.get('pipebench_items_total')).toBe('counter');
    expect(before.exposition.types.get('pipebench_window_latency_seconds')).toBe('summary');

    const events = spikeRunEvents();
    const lastWindow = events.findLastIndex((e) => e.event.kind === 'window');
    events.slice(0, lastWindow).forEach((e) => live.listener(e.event));
    const mid = (await scrape(live.url)).exposition.samples;
    expect(Object.fromEntries(mid)).toEqual({
      'pipebench_run_info{run_id="2026-01-01T00-00-00Z-spike",workload="spike-smoke"}': 1,
      pipebench_step_index: 1,
      'pipebench_load_level{stage="classify",step="1",profile="spike-up"}': 62,
      'pipebench_window_latency_seconds{quantile="0.5"}': expect.closeTo(0.2, 3),
      'pipebench_window_latency_seconds{quantile="0.95"}': expect.closeTo(0.4, 3),
      'pipebench_window_latency_seconds{quantile="0.99"}': expect.closeTo(0.4, 3),
      pipebench_window_latency_seconds_sum: expect.any(Number),
      pipebench_window_latency_seconds_count: 573,
      pipebench_window_items_per_second: 196,
      pipebench_items_total: 573,
      pipebench_errors_total: 7,
      'pipebench_errors_by_class_total{class="timeout"}': 7,
      pipebench_gpu_utilization_ratio: 0.97,
      pipebench_gpu_power_watts: 679,
      pipebench_host_rss_bytes: 400 * 1024 * 1024,
      pipebench_host_cpu_ratio: 0.85,
      pipebench_event_loop_delay_p99_seconds: 0.0125,
    });

    events.slice(lastWindow).forEach((e) => live.listener(e.event));
    const end = (await scrape(live.url)).exposition.samples;
    expect(end.get('pipebench_items_total')).toBe(573 + 19); // counters only grow
    expect(end.get('pipebench_errors_total')).toBe(8);
    expect(end.get('pipebench_errors_by_class_total{class="timeout"}')).toBe(8);
    // The summary's _sum and _count cover every answered item: hold 2 x (34 x 10 + 33 x 20 + 33 x 30 ms),
    // spike 2 x (50 x (100 + 200 + 300 + 400) ms less the 4 failed: 200 + 400 + 200 + 400 ms).
    expect(end.get('pipebench_window_latency_seconds_count')).toBe(592);
    expect(end.get('pipebench_window_latency_seconds_sum')).toBeCloseTo((2 * 1990 + 2 * (50_000 - 1200)) / 1000, 6);
    expect(mid.get('pipebench_window_latency_seconds_sum')).toBeLessThan(end.get('pipebench_window_latency_seconds_sum')!);
  });

  it('a sweep step has no profile, and its load level carries no empty profile label', async () => {
    const live = await exporter();
    const { profile: _scenarioOnly, ...sweepStep } = SPIKE;
    live.listener(spikeRunEvents()[0]!.event);
    live.listener({ kind: 'step-start', step: sweepStep, of: 1, repeat: null });
    const text = await (await request(live.url)).body.text();
    expect(text).toContain('\npipebench_load_level{stage="classify",step="1"} 500\n');
    expect(text).not.toContain('profile=');
  });

  it('other paths 404, other methods 405', async () => {
    const live = await exporter();
    const base = live.url.replace(/\/metrics$/, '');
    expect((await request(`${base}/`)).statusCode).toBe(404);
    const post = await request(live.url, { method: 'POST', body: 'x' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    await post.body.dump();
  });

  it('a port in use is an InputError naming --prometheus-port', async () => {
    const first = await exporter();
    const port = Number(new URL(first.url).port);
    const second = startLiveExporter({ host: '127.0.0.1', port });
    await expect(second).rejects.toBeInstanceOf(InputError);
    await expect(second).rejects.toMatchObject({
      where: '--prometheus-port',
      message: expect.stringContaining(`127.0.0.1:${port} is already in use`),
    });
  });

  it('close() ends even with a scraper holding a keep-alive connection, and twice is fine', async () => {
    const live = await exporter();
    await scrape(live.url); // undici keeps the connection open
    await live.close();
    await live.close();
    await expect(request(live.url)).rejects.toThrow();
  });
});

describe('parsePrometheusAddress', () => {
  it('port alone binds 127.0.0.1; a host or [ipv6] may lead', () => {
    expect(parsePrometheusAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parsePrometheusAddress('0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parsePrometheusAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parsePrometheusAddress('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    expect(parsePrometheusAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
  });

  it.each(['', 'abc', '70000', ':9464', '1.2.3.4:', '9464x', '::1:9464'])('"%s" is an InputError naming the flag', (value) => {
    expect(() => parsePrometheusAddress(value)).toThrow(/^--prometheus-port: expected \[host:\]port/);
  });
});
