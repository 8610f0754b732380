/** report.json per step: `bottleneck`, what limited the step, in one word, and the numbers that decided it. */

/**
 * gpu-compute: the GPU was busy with steady clocks. gpu-throttled: busy, but its clocks were held
 * down. server-queue: requests waited in the server while the GPU idled (batcher or instance count).
 * server-cpu: server time high, GPU idle. transport: client inference well above the server's own
 * time (network, serialisation, Nagle / delayed ACK). client-queue: items waited in pipebench for a
 * connection or an in-process instance. client: pipebench itself (its CPU or event loop) was the
 * limit. model-bound: in process, the model call itself. unknown: the evidence is missing.
 */
export type BottleneckVerdict =
  'gpu-compute' | 'gpu-throttled' | 'server-queue' | 'server-cpu' | 'transport' | 'client-queue' | 'client' | 'model-bound' | 'unknown';

export interface Bottleneck {
  readonly verdict: BottleneckVerdict;
  /** The figures that decided it, each a short sentence with its number ("server queue 71 % of server time"). */
  readonly evidence: readonly string[];
}
