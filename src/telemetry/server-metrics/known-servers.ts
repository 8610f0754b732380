/**
 * Known servers, recognised by their metric names, and how each one's metrics map onto
 * pipebench's phases: requests, batch size, queue and compute time per request, generation
 * timings and a remote GPU. Pure: a table of mappings over a StepView of one window's scrapes.
 */
import type { ServerDistribution, ServerEndpointStep, ServerMetricsSource } from '../../core/report/server-metrics.js';
import { DCGM_GPU, TRITON_GPU, type RemoteGpuDialect } from './remote-gpu.js';
import type { StepView } from './step-view.js';

/** A server's phases in the step, and how to read its GPU (null when it exposes none). */
export type MappedStep = Pick<
  ServerEndpointStep,
  'requests' | 'batchSize' | 'maxBatchSize' | 'queueMs' | 'computeMs' | 'ttftMs' | 'itlMs'
> & {
  readonly gpu: RemoteGpuDialect | null;
};

const NOTHING: MappedStep = {
  requests: null,
  batchSize: null,
  maxBatchSize: null,
  queueMs: null,
  computeMs: null,
  ttftMs: null,
  itlMs: null,
  gpu: null,
};

/** Name prefixes that identify each server, checked in this order (Triton before a DCGM exporter it may sit beside). */
const SIGNATURES: readonly (readonly [Exclude<ServerMetricsSource, 'generic'>, (name: string) => boolean])[] = [
  ['pipebench', (name) => name.startsWith('pipebench_serve_')],
  ['triton', (name) => name.startsWith('nv_inference_') || name.startsWith('nv_gpu_')],
  ['torchserve', (name) => name.startsWith('ts_inference_') || name.startsWith('ts_queue_latency')],
  ['vllm', (name) => name.startsWith('vllm:')],
  ['tgi', (name) => name.startsWith('tgi_')],
  ['dcgm', (name) => name.startsWith('DCGM_FI_')],
];

export function detectSource(names: Iterable<string>): ServerMetricsSource {
  const seen = new Set<ServerMetricsSource>();
  for (const name of names) for (const [source, matches] of SIGNATURES) if (matches(name)) seen.add(source);
  return SIGNATURES.find(([source]) => seen.has(source))?.[0] ?? 'generic';
}

const US_TO_MS = 1e-3;
const S_TO_MS = 1000;

/** A mean-only distribution from cumulative totals (Triton's and TorchServe's *_duration_us counters). */
function perRequest(totalIncrease: number | null, count: number | null, scale: number): ServerDistribution | null {
  if (totalIncrease === null || count === null) return null;
  return { count, mean: count > 0 ? (totalIncrease / count) * scale : null, p50: null, p95: null, p99: null };
}

/** A gauge sampled at each scrape as a distribution over scrapes (vLLM's running requests, TGI's batch size). */
function gaugeDistribution(view: StepView, name: string): ServerDistribution | null {
  const stats = view.gauge(name);
  return stats === null ? null : { count: stats.scrapes, mean: stats.mean, p50: null, p95: null, p99: null };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

export const SERVER_MAPPINGS = {
  triton: (view) => {
    const requests = view.counter('nv_inference_request_success');
    const executions = view.counter('nv_inference_exec_count');
    const inferences = view.counter('nv_inference_count');
    const compute = sumOrNull(
      ['nv_inference_compute_input_duration_us', 'nv_inference_compute_infer_duration_us', 'nv_inference_compute_output_duration_us'].map(
        (name) => view.counter(name),
      ),
    );
    return {
      ...NOTHING,
      requests,
      // Items per model execution: inferences count items, executions count batches.
      batchSize:
        inferences === null || executions === null
          ? null
          : { count: executions, mean: executions > 0 ? inferences / executions : null, p50: null, p95: null, p99: null },
      queueMs: perRequest(view.counter('nv_inference_queue_duration_us'), requests, US_TO_MS),
      computeMs: perRequest(compute, requests, US_TO_MS),
      gpu: TRITON_GPU,
    };
  },
  torchserve: (view) => {
    const requests = view.counter('ts_inference_requests_total');
    const queueUs = view.counter('ts_queue_latency_microseconds');
    // ts_inference_latency_microseconds runs from the request's arrival at the frontend to its answer, queue included.
    const inferenceUs = view.counter('ts_inference_latency_microseconds');
    return {
      ...NOTHING,
      requests,
      queueMs: perRequest(queueUs, requests, US_TO_MS),
      computeMs: perRequest(inferenceUs === null ? null : Math.max(0, inferenceUs - (queueUs ?? 0)), requests, US_TO_MS),
    };
  },
  vllm: (view) => ({
    ...NOTHING,
    requests: view.counter('vllm:request_success_total'),
    // Continuous batching: the requests in the running batch at each scrape.
    batchSize: gaugeDistribution(view, 'vllm:num_requests_running'),
    queueMs: view.histogram('vllm:request_queue_time_seconds', S_TO_MS),
    computeMs: view.histogram('vllm:request_inference_time_seconds', S_TO_MS),
    ttftMs: view.histogram('vllm:time_to_first_token_seconds', S_TO_MS),
    itlMs: view.histogram('vllm:inter_token_latency_seconds', S_TO_MS) ?? view.histogram('vllm:time_per_output_token_seconds', S_TO_MS),
  }),
  tgi: (view) => ({
    ...NOTHING,
    requests: view.counter('tgi_request_success') ?? view.counter('tgi_request_count'),
    batchSize: gaugeDistribution(view, 'tgi_batch_current_size'),
    queueMs: view.histogram('tgi_request_queue_duration', S_TO_MS),
    computeMs: view.histogram('tgi_request_inference_duration', S_TO_MS),
    itlMs: view.histogram('tgi_request_mean_time_per_token_duration', S_TO_MS),
  }),
  pipebench: (view) => {
    const executions = view.counter('pipebench_serve_batch_executions_total');
    const items = view.histogram('pipebench_serve_batch_size', 1);
    const maxBatch = view.gauge('pipebench_serve_max_batch_size');
    return {
      ...NOTHING,
      requests: view.counter('pipebench_serve_model_requests_total'),
      batchSize:
        items === null || executions === null
          ? null
          : { count: executions, mean: executions > 0 ? items.count / executions : null, p50: null, p95: null, p99: null },
      maxBatchSize: maxBatch === null || !Number.isFinite(maxBatch.max) ? null : maxBatch.max,
      queueMs: view.histogram('pipebench_serve_queue_seconds', S_TO_MS),
      computeMs: view.histogram('pipebench_serve_compute_seconds', S_TO_MS),
    };
  },
  dcgm: () => ({ ...NOTHING, gpu: DCGM_GPU }),
  generic: () => NOTHING,
} as const satisfies Record<ServerMetricsSource, (view: StepView) => MappedStep>;
