/**
 * The saved real pages: each parses cleanly, is recognised as its server, and maps onto the step
 * figures when a second scrape (the same page with its counters moved on) follows it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { endpointStep, type ClientStepFacts } from '../../../src/telemetry/server-metrics/endpoint-step.js';
import { parseExposition } from '../../../src/telemetry/server-metrics/exposition.js';
import { detectSource } from '../../../src/telemetry/server-metrics/known-servers.js';
import { ScrapeStore } from '../../../src/telemetry/server-metrics/scrape-store.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/server-metrics/${name}`, import.meta.url), 'utf8');

/** The page with every sample of `name` given a new value (label sets matched by their text). */
function moved(text: string, changes: Record<string, number>): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [prefix, value] of Object.entries(changes))
        if (line.startsWith(prefix)) return `${line.slice(0, line.lastIndexOf(' '))} ${value}`;
      return line;
    })
    .join('\n');
}

function step(first: string, second: string, client: ClientStepFacts = { requests: 10, items: 10, inferenceMsMean: 1000 }) {
  const store = new ScrapeStore();
  store.ingest(0, parseExposition(first));
  store.ingest(1000, parseExposition(second));
  return endpointStep('http://127.0.0.1:1/metrics', store.scrapes, store.series, { fromMs: 0, toMs: 1000 }, client, 'step 0');
}

describe('saved exposition samples', () => {
  it.each([
    ['triton.prom', 'triton'],
    ['tensorrt-llm-triton.prom', 'triton'],
    ['torchserve.prom', 'torchserve'],
    ['vllm.prom', 'vllm'],
    ['tgi.prom', 'tgi'],
    ['dcgm-exporter.prom', 'dcgm'],
    ['pipebench-serve.prom', 'pipebench'],
  ])('%s parses without a bad line and reads as %s', (name, source) => {
    const parsed = parseExposition(fixture(name));
    expect(parsed.badLines).toBe(0);
    expect(parsed.samples.length).toBeGreaterThan(0);
    expect(detectSource(parsed.samples.map((s) => s.name))).toBe(source);
  });

  it('Triton: batch size = inferences / executions, queue and compute per successful request', () => {
    const page = fixture('triton.prom');
    const next = moved(page, {
      'nv_inference_request_success{': 2 + 40,
      'nv_inference_count{': 2 + 40,
      'nv_inference_exec_count{': 2 + 5,
      'nv_inference_queue_duration_us{': 113 + 40 * 3000,
      'nv_inference_compute_input_duration_us{': 254 + 40 * 500,
    });
    const { step: s } = step(page, next, { requests: 40, items: 40, inferenceMsMean: 10 });
    expect(s.source).toBe('triton');
    expect(s.requests).toBeCloseTo(40, 9);
    expect(s.batchSize?.mean).toBeCloseTo(8, 9);
    expect(s.batchSize?.count).toBeCloseTo(5, 9);
    expect(s.queueMs?.mean).toBeCloseTo(3, 9);
    expect(s.computeMs?.mean).toBeCloseTo(0.5, 9);
    expect(s.shared).toBe(false);
    expect(Object.keys(s.raw)).toContain('nv_inference_request_duration_us{model="vastpipe_passthrough",version="1"}');
  });

  it('TorchServe: queue from ts_queue_latency, compute = inference latency less the queue', () => {
    const page = fixture('torchserve.prom');
    const next = moved(page, {
      'ts_inference_requests_total{': 3 + 20,
      'ts_queue_latency_microseconds{': 365.21 + 20 * 2000,
      'ts_inference_latency_microseconds{': 290371.129 + 20 * 7000,
    });
    const { step: s } = step(page, next, { requests: 20, items: 20, inferenceMsMean: 8 });
    expect(s.requests).toBeCloseTo(20, 9);
    expect(s.queueMs?.mean).toBeCloseTo(2, 9);
    expect(s.computeMs?.mean).toBeCloseTo(5, 9);
    expect(s.raw['MemoryUsed{Hostname="88665a372f4b.ant.amazon.com",Level="Host"}']).toBeCloseTo(8245.62109375, 6);
  });

  it('a server that counted far more requests than the client sent is marked shared, with a warning', () => {
    const page = fixture('triton.prom');
    const next = moved(page, { 'nv_inference_request_success{': 2 + 400 });
    const result = step(page, next, { requests: 40, items: 40, inferenceMsMean: 10 });
    expect(result.step.shared).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/counted 400 requests while this run completed 40.*shared/);
  });

  it('TGI: requests from tgi_request_success, batch size from the current-batch gauge', () => {
    const page = fixture('tgi.prom');
    const next = moved(page, { tgi_request_success: 70, tgi_batch_current_size: 6 });
    const { step: s } = step(page, next, { requests: 30, items: 30, inferenceMsMean: null });
    expect(s.requests).toBe(30);
    expect(s.batchSize?.mean).toBe(3);
  });

  it('DCGM: a remote GPU summarised like local nvidia-smi samples', () => {
    const page = fixture('dcgm-exporter.prom');
    const { step: s } = step(page, moved(page, { 'DCGM_FI_DEV_SM_CLOCK{': 1980 }));
    expect(s.source).toBe('dcgm');
    expect(s.gpus).toHaveLength(1);
    expect(s.gpus[0]).toMatchObject({ gpuIndex: 0, samples: 2, smClockMHz: { mean: (139 + 1980) / 2, min: 139, max: 1980 } });
    expect(Object.keys(s.raw)).toEqual(['DCGM_FI_DEV_MEMORY_TEMP{UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",gpu="0"}']);
  });
});
