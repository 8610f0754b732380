/**
 * The bottleneck judge per verdict, on StepReport-shaped inputs (our own report data, built here as
 * a saved report.json would hold it), with each threshold's boundary on both sides.
 */
import { describe, expect, it } from 'vitest';
import {
  BATCH_FILL_LOW,
  CLIENT_CPU_PCT,
  CLIENT_LOOP_DELAY_MS,
  CLIENT_LOOP_DELAY_SHARE,
  CLIENT_QUEUE_SHARE,
  INSTANCE_BUSY_SHARE,
  DELAYED_ACK_BAND_MS,
  DELAYED_ACK_MS,
  GPU_BUSY_SHARE,
  GPU_THROTTLED_SHARE,
  SERVER_QUEUE_SHARE,
  TRANSPORT_SHARE,
  judgeBottleneck,
  type BottleneckContext,
  type BottleneckSubject,
} from '../../src/analysis/bottleneck.js';
import type { LatencySummary } from '../../src/core/measurement.js';
import type { ServerEndpointStep } from '../../src/core/report/server-metrics.js';
import type { ComputeAppsResult, GpuWindowSummary, HostSample } from '../../src/core/report/telemetry.js';
import { summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import { parseH100Trace, utc } from '../telemetry/fixtures.js';

const T0 = 1_750_000_000_000;
const MiB = 1024 * 1024;

function summary(mean: number, more: Partial<LatencySummary> = {}): LatencySummary {
  return { count: 100, mean, p50: mean, p90: mean, p95: mean, p99: mean, max: mean, min: mean, ...more };
}

function step(latencyMs: BottleneckSubject['latencyMs'], more: Partial<BottleneckSubject> = {}): BottleneckSubject {
  return {
    completed: 100,
    latencyMs,
    meanBatchSize: 1,
    batchSize: 1,
    startedAtMs: T0,
    endedAtMs: T0 + 3000,
    measuredMs: 3000,
    gpu: null,
    ...more,
  };
}

function gpu(busyShare: number, more: Partial<GpuWindowSummary> = {}): GpuWindowSummary {
  return {
    gpuIndex: 0,
    name: 'NVIDIA H100 80GB HBM3',
    samples: 30,
    utilPct: { mean: busyShare * 100, p95: busyShare * 100, max: busyShare * 100 },
    memUtilPct: null,
    memUsedPeakBytes: 2000 * MiB,
    memTotalBytes: 81559 * MiB,
    powerW: null,
    powerLimitW: 700,
    energyJ: null,
    energyPerItemJ: null,
    smClockMHz: { mean: 1980, min: 1980, max: 1980 },
    tempMaxC: 50,
    throttleReasons: [],
    throttledShare: 0,
    busyShare,
    queueMsMean: null,
    ...more,
  };
}

const gpuStep = (gpus: GpuWindowSummary[], processes: ComputeAppsResult | null = null): BottleneckSubject['gpu'] => ({
  gpus,
  processesAtStart: processes,
  processesAtEnd: processes,
  notes: [],
});

function endpoint(more: Partial<ServerEndpointStep>): ServerEndpointStep {
  return {
    url: 'http://gpu-node:8002/metrics',
    source: 'triton',
    scrapes: 12,
    requests: 100,
    batchSize: null,
    maxBatchSize: null,
    queueMs: null,
    computeMs: null,
    ttftMs: null,
    itlMs: null,
    gpus: [],
    shared: false,
    raw: {},
    ...more,
  };
}
const dist = (mean: number) => ({ count: 100, mean, p50: null, p95: null, p99: null });

function hostSample(tMs: number, processCpuPct: number | null, eventLoopDelayP50Ms: number | null): HostSample {
  const p99Ms = eventLoopDelayP50Ms === null ? null : 3 * eventLoopDelayP50Ms;
  return {
    tMs,
    processCpuPct,
    systemCpuPct: null,
    rssBytes: 1,
    heapUsedBytes: 1,
    eventLoopDelayP99Ms: p99Ms,
    eventLoopDelayP50Ms,
    netRxBytesPerSec: null,
    netTxBytesPerSec: null,
    tfMemory: null,
  };
}
const host = (samples: HostSample[]): BottleneckContext['host'] => ({
  intervalMs: 1000,
  samples: samples.length,
  maxPoints: 2000,
  timeline: samples,
  rssBytes: { start: 1, end: 1, peak: 1 },
  heapUsedBytes: { start: 1, end: 1, peak: 1 },
  tfMemory: { start: null, end: null },
  netRxBytes: null,
  netTxBytes: null,
});

const wasm: BottleneckContext = {
  placement: { target: { kind: 'inprocess', url: null }, backend: { name: 'wasm', gpu: false } },
  instances: 1,
  host: null,
  harnessHealth: null,
};
const tfGpu: BottleneckContext = {
  ...wasm,
  placement: { target: { kind: 'inprocess', url: null }, backend: { name: 'tensorflow', gpu: true } },
};
const remote: BottleneckContext = {
  placement: { target: { kind: 'http', url: 'http://gpu-node:8000' }, backend: null },
  instances: null,
  host: null,
  harnessHealth: null,
};
const local: BottleneckContext = { ...remote, placement: { target: { kind: 'http', url: 'http://127.0.0.1:8000' }, backend: null } };

/** An HTTP step: inference split into server time and the overhead around it. */
function httpStep(
  inferenceMs: number,
  serverMs: number,
  overhead: Partial<LatencySummary> = {},
  more: Partial<BottleneckSubject> = {},
): BottleneckSubject {
  return step(
    {
      e2e: summary(inferenceMs + 0.2),
      queue: summary(0.2),
      inference: summary(inferenceMs),
      server: summary(serverMs),
      overhead: summary(inferenceMs - serverMs, overhead),
    },
    more,
  );
}

describe('judgeBottleneck: unknown', () => {
  it('a step with no completed item', () => {
    expect(judgeBottleneck(step({}, { completed: 0 }), wasm)).toEqual({
      verdict: 'unknown',
      evidence: ['no item completed in the step, so nothing says where time went'],
    });
  });

  it('HTTP without any server time: transport cannot be told from the server', () => {
    const verdict = judgeBottleneck(step({ e2e: summary(20), queue: summary(0.1), inference: summary(19.9) }), remote);
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.evidence[0]).toContain('the server reported no time of its own');
  });

  it('HTTP whose server time dominates with no GPU figures: the server is the limit, its device unknown', () => {
    const verdict = judgeBottleneck(httpStep(20, 19), remote);
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.evidence).toEqual([
      'requests took 20 ms at the client, 19 ms of it in the server (its own processing time): 5 % outside it (under 50 %)',
      'no GPU figures (local nvidia-smi of the server, or its DCGM / Triton metrics) say whether it computed on a GPU or its CPU',
    ]);
  });
});

describe('judgeBottleneck: client', () => {
  const window = [hostSample(T0 + 1000, null, null), hostSample(T0 + 2000, null, null), hostSample(T0 + 3000, null, null)];
  const cpu = (pct: number) => host(window.map((s) => ({ ...s, processCpuPct: pct })));
  const loop = (ms: number) => host(window.map((s) => ({ ...s, eventLoopDelayP50Ms: ms })));

  it(`pipebench's CPU at ${CLIENT_CPU_PCT} % of one core is the limit; just under is not`, () => {
    const at = judgeBottleneck(httpStep(20, 19), { ...remote, host: cpu(CLIENT_CPU_PCT) });
    expect(at).toEqual({
      verdict: 'client',
      evidence: ['pipebench used 85 % of one core over the step (85 % or more saturates its event loop)'],
    });
    expect(judgeBottleneck(httpStep(20, 19), { ...remote, host: cpu(CLIENT_CPU_PCT - 0.5) }).verdict).toBe('unknown');
  });

  it('in process the CPU counts the model workers, so it never names the client', () => {
    expect(judgeBottleneck(step({ e2e: summary(10), inference: summary(9) }), { ...wasm, host: cpu(190) }).verdict).toBe('model-bound');
  });

  it(`event-loop delay p50 of ${CLIENT_LOOP_DELAY_MS} ms that is ${CLIENT_LOOP_DELAY_SHARE * 100} % of e2e p50 or more; less of either is not`, () => {
    const fast = step({ e2e: summary(CLIENT_LOOP_DELAY_MS / CLIENT_LOOP_DELAY_SHARE), inference: summary(99) });
    const verdict = judgeBottleneck(fast, { ...remote, host: loop(CLIENT_LOOP_DELAY_MS) });
    expect(verdict.verdict).toBe('client');
    expect(verdict.evidence[0]).toBe(
      'event-loop delay p50 10 ms over the step against an e2e p50 of 100 ms (10 ms and 10 % of e2e or more: responses are stamped late)',
    );
    expect(judgeBottleneck(fast, { ...remote, host: loop(CLIENT_LOOP_DELAY_MS - 0.5) }).verdict).toBe('unknown');
    // 15 ms beside a 151 ms e2e is just under a tenth: not what limits the step.
    expect(judgeBottleneck(step({ e2e: summary(151), inference: summary(150) }), { ...remote, host: loop(15) }).verdict).toBe('unknown');
    expect(judgeBottleneck(step({ e2e: summary(150), inference: summary(149) }), { ...remote, host: loop(15) }).verdict).toBe('client');
  });

  it("a loop late only at its p99 (a pause, another process's burst) is not the limit", () => {
    const paused = host(
      [hostSample(T0 + 1000, 10, null), hostSample(T0 + 2000, 10, null)].map((s) => ({
        ...s,
        eventLoopDelayP99Ms: 70,
        eventLoopDelayP50Ms: 0.4,
      })),
    );
    expect(judgeBottleneck(httpStep(262, 1), { ...remote, host: paused }).verdict).toBe('transport');
  });

  it(`in process, instances in a model call ${INSTANCE_BUSY_SHARE * 100} % of the step are the limit, whatever the event loop's delay`, () => {
    // 100 calls of 24 ms in 3 s on one instance: busy 80 %.
    const busy = step({ e2e: summary(80), inference: summary(24) });
    const verdict = judgeBottleneck(busy, { ...wasm, host: loop(50) });
    expect(verdict.verdict).toBe('model-bound');
    expect(verdict.evidence).toContain('model instances in a model call 80 % of the step');
    expect(judgeBottleneck(step({ e2e: summary(80), inference: summary(23.7) }), { ...wasm, host: loop(50) }).verdict).toBe('client');
    // Two instances halve the share.
    expect(judgeBottleneck(busy, { ...wasm, instances: 2, host: loop(50) }).verdict).toBe('client');
  });

  it("only samples whose interval overlaps the step count; without any, the whole run's harness record", () => {
    const outside = host([hostSample(T0 - 500, 99, null), hostSample(T0 + 5000, 99, null)]);
    expect(judgeBottleneck(httpStep(20, 19), { ...remote, host: outside }).verdict).toBe('unknown');
    const overlapping = host([hostSample(T0 + 500, 99, null)]);
    expect(judgeBottleneck(httpStep(20, 19), { ...remote, host: overlapping }).verdict).toBe('client');
    const harnessHealth = { wallMs: 10_000, cpuUserMs: 9000, cpuSystemMs: 500, cpuShare: 0.95, eventLoopDelay: null, gpuSampling: null };
    expect(judgeBottleneck(httpStep(20, 19), { ...remote, harnessHealth }).evidence[0]).toBe(
      'pipebench used 95 % of one core over the whole run (85 % or more saturates its event loop)',
    );
  });
});

describe('judgeBottleneck: gpu-compute and gpu-throttled', () => {
  const busy = (share: number, more: Partial<GpuWindowSummary> = {}) =>
    step({ e2e: summary(10), inference: summary(9) }, { gpu: gpuStep([gpu(share, more)]) });

  it(`a GPU backend's GPU busy ${GPU_BUSY_SHARE * 100} % or more with steady clocks is gpu-compute; just under is model-bound`, () => {
    expect(judgeBottleneck(busy(GPU_BUSY_SHARE), tfGpu)).toEqual({
      verdict: 'gpu-compute',
      evidence: [
        'GPU 0 ran a kernel 80 % of the step (80 % or more is busy)',
        'SM clock 1980-1980 MHz (mean 1980): clocks steady',
        'no load throttle reason in more than 10 % of samples',
      ],
    });
    const under = judgeBottleneck(busy(GPU_BUSY_SHARE - 0.01), tfGpu);
    expect(under.verdict).toBe('model-bound');
    expect(under.evidence).toContain('GPU 0 ran a kernel 79 % of the step: the host side of the model call holds it back');
  });

  it(`clocks held down in more than ${GPU_THROTTLED_SHARE * 100} % of samples is gpu-throttled; at it, or by gpu_idle only, is not`, () => {
    const held = { throttleReasons: ['sw_power_cap'], smClockMHz: { mean: 1700, min: 1620, max: 1980 } };
    const throttled = judgeBottleneck(busy(0.98, { ...held, throttledShare: GPU_THROTTLED_SHARE + 0.01 }), tfGpu);
    expect(throttled.verdict).toBe('gpu-throttled');
    expect(throttled.evidence).toEqual([
      'GPU 0 ran a kernel 98 % of the step (80 % or more is busy)',
      'clocks held down (sw_power_cap) in 11 % of samples (over 10 % is throttled)',
      'SM clock 1620-1980 MHz (mean 1700)',
    ]);
    expect(judgeBottleneck(busy(0.98, { ...held, throttledShare: GPU_THROTTLED_SHARE }), tfGpu).verdict).toBe('gpu-compute');
    expect(judgeBottleneck(busy(0.98, { throttleReasons: ['gpu_idle'], throttledShare: 0.5 }), tfGpu).verdict).toBe('gpu-compute');
  });

  it('the real H100 trace: batch 128+ under its power cap reads gpu-throttled', () => {
    const summaries = summarizeGpuWindow(parseH100Trace(), utc('2026-11-26T18:49:11.9'), utc('2026-11-26T18:49:13.9'));
    const verdict = judgeBottleneck(step({ e2e: summary(10), inference: summary(9) }, { gpu: gpuStep(summaries) }), tfGpu);
    expect(verdict.verdict).toBe('gpu-throttled');
    expect(verdict.evidence[1]).toMatch(/^clocks held down \(sw_power_cap\) in \d+ % of samples/);
  });

  it("a server's GPU from its metrics counts the same", () => {
    const remoteBusy = httpStep(20, 19, {}, { serverMetrics: { endpoints: [endpoint({ source: 'dcgm', gpus: [gpu(0.9)] })] } });
    const verdict = judgeBottleneck(remoteBusy, remote);
    expect(verdict.verdict).toBe('gpu-compute');
    expect(verdict.evidence[0]).toBe("the server's GPU 0 ran a kernel 90 % of the step (80 % or more is busy)");
  });

  it('a busy GPU the model does not use is never the verdict: wasm in process, a server on another host', () => {
    const wasmBusy = judgeBottleneck(busy(0.99), wasm);
    expect(wasmBusy.verdict).toBe('model-bound');
    expect(wasmBusy.evidence.join(' ')).not.toContain('GPU 0');
    expect(judgeBottleneck(httpStep(20, 19, {}, { gpu: gpuStep([gpu(0.99)]) }), remote).verdict).toBe('unknown');
  });
});

describe('judgeBottleneck: client-queue', () => {
  const queued = (share: number) =>
    step({
      e2e: summary(100),
      queue: summary(100 * share),
      inference: summary(100 * (1 - share)),
      server: summary(1),
      overhead: summary(100 * (1 - share) - 1),
    });

  it(`items waiting ${CLIENT_QUEUE_SHARE * 100} % of e2e or more for a connection; just under is not`, () => {
    expect(judgeBottleneck(queued(CLIENT_QUEUE_SHARE), remote)).toEqual({
      verdict: 'client-queue',
      evidence: [
        'items waited 50 ms of 100 ms e2e (50 %) in pipebench for a connection (50 % or more is the client queue)',
        'more connections (target.connections) or fewer requests in flight would shorten it',
      ],
    });
    expect(judgeBottleneck(queued(CLIENT_QUEUE_SHARE - 0.01), remote).verdict).toBe('transport');
  });

  it('in process: waiting for a model instance', () => {
    const verdict = judgeBottleneck(step({ e2e: summary(80), queue: summary(70), inference: summary(10) }), wasm);
    expect(verdict.verdict).toBe('client-queue');
    expect(verdict.evidence[0]).toContain('for a model instance');
  });
});

describe('judgeBottleneck: transport', () => {
  it(`${TRANSPORT_SHARE * 100} % or more of the client's inference outside the server; just under is the server's`, () => {
    expect(judgeBottleneck(httpStep(20, 10), remote)).toEqual({
      verdict: 'transport',
      evidence: [
        'requests took 20 ms at the client, 10 ms of it in the server (its own processing time): 10 ms (50 %) outside the server (50 % or more is transport)',
      ],
    });
    expect(judgeBottleneck(httpStep(20, 10.2), remote).verdict).toBe('unknown');
  });

  it(`overhead clustered within ${DELAYED_ACK_BAND_MS} ms of ${DELAYED_ACK_MS} ms is named the Nagle / delayed-ACK pattern`, () => {
    const clustered = judgeBottleneck(httpStep(41, 1, { p50: 40, p90: DELAYED_ACK_MS + DELAYED_ACK_BAND_MS }), remote);
    expect(clustered.verdict).toBe('transport');
    expect(clustered.evidence[1]).toBe(
      'the time outside the server clusters near 40 ms (p50 40 ms, p90 48 ms): the Nagle / delayed-ACK pattern (a write split in two segments waits for the delayed ACK; TCP_NODELAY on both ends removes it)',
    );
    // A spread tail, or a median away from 40 ms, is the network or the server's framework, not one timer.
    expect(judgeBottleneck(httpStep(41, 1, { p50: 40, p90: DELAYED_ACK_MS + DELAYED_ACK_BAND_MS + 1 }), remote).evidence).toHaveLength(1);
    expect(judgeBottleneck(httpStep(41, 1, { p50: DELAYED_ACK_MS - DELAYED_ACK_BAND_MS - 1, p90: 40 }), remote).evidence).toHaveLength(1);
  });

  it('from server metrics: client inference against the server queue + compute', () => {
    const viaMetrics = step(
      { e2e: summary(30), queue: summary(0.1), inference: summary(30) },
      { serverMetrics: { endpoints: [endpoint({ queueMs: dist(2), computeMs: dist(8) })] } },
    );
    expect(judgeBottleneck(viaMetrics, remote).evidence[0]).toBe(
      'requests took 30 ms at the client, 10 ms of it in the server (its metrics): 20 ms (67 %) outside the server (50 % or more is transport)',
    );
  });
});

describe('judgeBottleneck: server-queue and server-cpu', () => {
  const metered = (queueMs: number, computeMs: number, more: Partial<ServerEndpointStep> = {}) =>
    step(
      { e2e: summary(queueMs + computeMs + 1), queue: summary(0.1), inference: summary(queueMs + computeMs + 1) },
      { serverMetrics: { endpoints: [endpoint({ queueMs: dist(queueMs), computeMs: dist(computeMs), ...more })] } },
    );

  it(`half the server's time or more queued is server-queue, with batch fill and the idle GPU; just under is not`, () => {
    const verdict = judgeBottleneck(metered(5, 5, { batchSize: dist(2), maxBatchSize: 8, gpus: [gpu(0.3)] }), remote);
    expect(verdict).toEqual({
      verdict: 'server-queue',
      evidence: [
        'requests took 11 ms at the client, 10 ms of it in the server (its metrics): 9.1 % outside it (under 50 %)',
        "in the server requests queued 5 ms and computed 5 ms (50 % queued), 50 % or more is the server's queue",
        'server batches averaged 2.0 items of a maximum 8 (25 %): the batcher dispatches before batches fill (its delay)',
        "the server's GPU 0 ran a kernel only 30 % of the step (under 80 %)",
      ],
    });
    expect(judgeBottleneck(metered(4.9, 5.1, { gpus: [gpu(0.3)] }), remote).verdict).toBe('server-cpu');
  });

  it(`batches at ${BATCH_FILL_LOW * 100} % of their maximum or more read as full: more instances`, () => {
    const full = judgeBottleneck(metered(8, 2, { batchSize: dist(4), maxBatchSize: 8 }), remote);
    expect(full.verdict).toBe('server-queue');
    expect(full.evidence).toContain(
      'server batches averaged 4.0 items of a maximum 8 (50 %): batches fill: more model instances would serve the queue',
    );
  });

  it(`queued ${SERVER_QUEUE_SHARE * 100} % marks the shared server's figures as such`, () => {
    expect(judgeBottleneck(metered(8, 2, { shared: true }), remote).evidence).toContain(
      'the server counted far more requests than this run sent: its figures include other load',
    );
  });

  it('server time computing while its GPU idles is server-cpu', () => {
    const verdict = judgeBottleneck(metered(1, 9, { gpus: [gpu(0.2)] }), remote);
    expect(verdict.verdict).toBe('server-cpu');
    expect(verdict.evidence.slice(1)).toEqual([
      'in the server requests queued 1 ms and computed 9 ms (10 % queued): computing, not queueing',
      "the server's GPU 0 ran a kernel only 20 % of the step (under 80 %)",
    ]);
  });

  it('a server on this host with nothing on the GPU computes on its CPU', () => {
    const empty: ComputeAppsResult = { kind: 'ok', atMs: T0, apps: [], ownMemBytes: null };
    const verdict = judgeBottleneck(httpStep(20, 19, {}, { gpu: gpuStep([gpu(0, { memUsedPeakBytes: MiB })], empty) }), local);
    expect(verdict.verdict).toBe('server-cpu');
    expect(verdict.evidence[1]).toBe(
      'GPU 0: not used by the model (nvidia-smi lists no process on it: the server on this host computes elsewhere)',
    );
  });
});

describe('judgeBottleneck: model-bound', () => {
  it('in process, the model call is the time', () => {
    const verdict = judgeBottleneck(
      step({ e2e: summary(8), queue: summary(0.5), inference: summary(7.5) }, { meanBatchSize: 3.5, batchSize: 4 }),
      wasm,
    );
    expect(verdict).toEqual({
      verdict: 'model-bound',
      evidence: [
        'the model call took 7.5 ms of 8 ms e2e (94 %)',
        // 100 items in batches of 3.5: 28.6 calls of 7.5 ms in 3 s.
        'model instances in a model call 7.1 % of the step',
        'batches of 3.5 items (batch size 4)',
        'backend wasm on the CPU',
      ],
    });
  });
});
