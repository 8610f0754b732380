/**
 * What limited a step, in one word, and the numbers that decided it (report.json
 * `steps[].bottleneck`). The checks run in order; the first that holds names the verdict:
 *   1. client: pipebench's own CPU or event loop was saturated (every other figure is then suspect);
 *   2. gpu-throttled / gpu-compute: a GPU the model runs on was busy;
 *   3. client-queue: items spent most of their time waiting in pipebench (a connection, an instance);
 *   4. transport: most of a request's time was outside the server (named Nagle / delayed ACK near 40 ms);
 *   5. server-queue / server-cpu: the server's own time, split into queue and compute;
 *   6. model-bound: in process, the model call itself;
 * else unknown, saying which figure is missing. Pure.
 */
import type { Bottleneck, BottleneckVerdict } from '../core/report/bottleneck.js';
import { formatMs, formatPct } from '../format.js';
import { DEFAULT_GPU_NOTE_THRESHOLDS } from '../telemetry/gpu-notes.js';
import { notUsedNote } from '../telemetry/gpu-use.js';
import {
  stepFacts,
  type BottleneckContext,
  type BottleneckSubject,
  type GpuFacts,
  type HarnessFacts,
  type ServerFacts,
  type StepFacts,
} from './bottleneck-facts.js';
import { queueShare } from './queue-share.js';

export type { BottleneckContext, BottleneckSubject } from './bottleneck-facts.js';

/**
 * pipebench's own CPU (HTTP targets), % of one core. Its event loop is one thread: above ~85 % it
 * has no slack left to send on time and stamp responses as they land (undici peaked near one core here).
 */
export const CLIENT_CPU_PCT = 85;
/**
 * Event-loop delay at the median at or above this: half the monitor's 10 ms ticks came a whole tick
 * late or more, so the loop seldom idles. A median, not a p99: a p99 of 40-70 ms was seen here from
 * other processes' load alone, in steps the harness did not limit.
 */
export const CLIENT_LOOP_DELAY_MS = 10;
/**
 * ... and a tenth of the step's e2e p50 or more: every send and response stamp then waits that long,
 * a tenth of what a request is measured to take. 10 ms beside a 3 s generation limits nothing.
 */
export const CLIENT_LOOP_DELAY_SHARE = 0.1;
/**
 * A GPU counts as the limit when a kernel ran this share of the step or more: utilization.gpu read
 * 98-99 % at saturating batch sizes on an H100 and 7-26 % at small ones; sampling gaps between
 * kernels keep a saturated GPU under 100 %.
 */
export const GPU_BUSY_SHARE = 0.8;
/** Clocks held down in more than this share of samples makes it gpu-throttled: gpu-notes.ts's threshold, so note and verdict agree. */
export const GPU_THROTTLED_SHARE = DEFAULT_GPU_NOTE_THRESHOLDS.throttledShare;
/** Waiting in pipebench for half of e2e or more: the queue, not the work, is most of the latency. */
export const CLIENT_QUEUE_SHARE = 0.5;
/**
 * In process, model instances in a model call this share of the step or more are the limit (as a
 * busy GPU is): an event loop delayed beside them shares the CPU with them, it does not hold them back.
 */
export const INSTANCE_BUSY_SHARE = 0.8;
/** Half of the client's inference time or more outside the server's own time: the wire dominates. */
export const TRANSPORT_SHARE = 0.5;
/**
 * Linux's minimum delayed-ACK timer (TCP_DELACK_MIN, HZ/25): a request or response written in two
 * segments without TCP_NODELAY waits for it, so the overhead clusters at this value.
 */
export const DELAYED_ACK_MS = 40;
/** How far the overhead's p50 and p90 may sit from 40 ms and still be that pattern: timer and scheduling jitter. */
export const DELAYED_ACK_BAND_MS = 8;
/** Half the server's time or more spent queued (before its execution): the batcher or the instance count. */
export const SERVER_QUEUE_SHARE = 0.5;
/** Batches under half their maximum while requests queue: the batcher dispatches before they fill. */
export const BATCH_FILL_LOW = 0.5;

const judged = (verdict: BottleneckVerdict, evidence: readonly string[]): Bottleneck => ({ verdict, evidence });

export function judgeBottleneck(step: BottleneckSubject, context: BottleneckContext): Bottleneck {
  const facts = stepFacts(step, context);
  if (facts === null) return judged('unknown', ['no item completed in the step, so nothing says where time went']);
  const http = context.placement.target.kind === 'http';
  return (
    clientLimit(facts) ??
    gpuLimit(facts) ??
    clientQueue(step, facts, http) ??
    (http ? transportOrServer(facts) : modelBound(step, facts, context))
  );
}

function clientLimit(facts: StepFacts): Bottleneck | null {
  const harness = facts.harness;
  if (harness === null || (facts.instanceBusyShare !== null && facts.instanceBusyShare >= INSTANCE_BUSY_SHARE)) return null;
  const over = harness.over === 'step' ? 'over the step' : 'over the whole run';
  const evidence: string[] = [];
  if (harness.cpuPct !== null && harness.cpuPct >= CLIENT_CPU_PCT) {
    evidence.push(
      `pipebench used ${harness.cpuPct.toFixed(0)} % of one core ${over} (${CLIENT_CPU_PCT} % or more saturates its event loop)`,
    );
  }
  if (loopDelayed(harness, facts.e2e.p50)) {
    evidence.push(
      `event-loop delay p50 ${formatMs(harness.loopDelayP50Ms ?? 0)} ${over} against an e2e p50 of ${formatMs(facts.e2e.p50)} ` +
        `(${CLIENT_LOOP_DELAY_MS} ms and ${formatPct(CLIENT_LOOP_DELAY_SHARE)} of e2e or more: responses are stamped late)`,
    );
  }
  return evidence.length === 0 ? null : judged('client', evidence);
}

function loopDelayed(harness: HarnessFacts, e2eP50Ms: number): boolean {
  const delay = harness.loopDelayP50Ms;
  return delay !== null && delay >= CLIENT_LOOP_DELAY_MS && delay >= CLIENT_LOOP_DELAY_SHARE * e2eP50Ms;
}

function busiestGpu(facts: StepFacts): GpuFacts | undefined {
  return [...facts.gpus].sort((a, b) => b.busyShare - a.busyShare)[0];
}

function gpuName(gpu: GpuFacts): string {
  return gpu.where === 'local' ? `GPU ${gpu.gpuIndex}` : `the server's GPU ${gpu.gpuIndex}`;
}

function clockSentence(gpu: GpuFacts): string | null {
  const clock = gpu.smClockMHz;
  return clock === null ? null : `SM clock ${clock.min.toFixed(0)}-${clock.max.toFixed(0)} MHz (mean ${clock.mean.toFixed(0)})`;
}

function gpuLimit(facts: StepFacts): Bottleneck | null {
  const busiest = busiestGpu(facts);
  if (busiest === undefined || busiest.busyShare < GPU_BUSY_SHARE) return null;
  const busy = `${gpuName(busiest)} ran a kernel ${formatPct(busiest.busyShare)} of the step (${formatPct(GPU_BUSY_SHARE)} or more is busy)`;
  const clock = clockSentence(busiest);
  const throttled = busiest.throttledShare !== null && busiest.throttledShare > GPU_THROTTLED_SHARE && busiest.loadReasons.length > 0;
  if (throttled) {
    const held = `clocks held down (${busiest.loadReasons.join(', ')}) in ${formatPct(busiest.throttledShare ?? 0)} of samples (over ${formatPct(GPU_THROTTLED_SHARE)} is throttled)`;
    return judged('gpu-throttled', [busy, held, ...(clock === null ? [] : [clock])]);
  }
  const steady =
    busiest.throttledShare === null
      ? 'no throttle reasons were sampled'
      : `no load throttle reason in more than ${formatPct(GPU_THROTTLED_SHARE)} of samples`;
  return judged('gpu-compute', [busy, ...(clock === null ? [] : [`${clock}: clocks steady`]), steady]);
}

function clientQueue(step: BottleneckSubject, facts: StepFacts, http: boolean): Bottleneck | null {
  const share = queueShare(step)?.ofMean ?? null;
  if (share === null || share < CLIENT_QUEUE_SHARE || facts.queue === null) return null;
  const what = http ? 'a connection' : 'a model instance';
  return judged('client-queue', [
    `items waited ${formatMs(facts.queue.mean)} of ${formatMs(facts.e2e.mean)} e2e (${formatPct(share)}) in pipebench for ${what} ` +
      `(${formatPct(CLIENT_QUEUE_SHARE)} or more is the client queue)`,
    ...instanceSentence(facts),
    http
      ? 'more connections (target.connections) or fewer requests in flight would shorten it'
      : 'more instances (--instances) or a larger batch would shorten it',
  ]);
}

/** "model instances in a model call 97 % of the step" (in process, when known). */
function instanceSentence(facts: StepFacts): string[] {
  return facts.instanceBusyShare === null ? [] : [`model instances in a model call ${formatPct(facts.instanceBusyShare)} of the step`];
}

function serverTimeSentence(inferenceMs: number, server: ServerFacts): string {
  const from = server.from === 'response' ? 'its own processing time' : 'its metrics';
  return `requests took ${formatMs(inferenceMs)} at the client, ${formatMs(server.serverMs)} of it in the server (${from})`;
}

/** The overhead's p50 and p90 both near 40 ms: one fixed timer, not the network. */
function delayedAckPattern(overhead: NonNullable<StepFacts['overhead']>): boolean {
  const near = (ms: number | null): boolean => ms !== null && Math.abs(ms - DELAYED_ACK_MS) <= DELAYED_ACK_BAND_MS;
  return near(overhead.p50Ms) && near(overhead.p90Ms);
}

function transportOrServer(facts: StepFacts): Bottleneck {
  const { server, overhead, inference } = facts;
  if (server === null || inference === null || !(inference.mean > 0)) {
    return judged('unknown', [
      `requests took ${formatMs(inference?.mean ?? facts.e2e.mean)} at the client and the server reported no time of its own ` +
        '(no processing time in its answers, no server metrics): transport cannot be told from server time',
    ]);
  }
  const outsideShare = overhead === null ? 0 : overhead.meanMs / inference.mean;
  if (overhead !== null && outsideShare >= TRANSPORT_SHARE) {
    const evidence = [
      `${serverTimeSentence(inference.mean, server)}: ${formatMs(overhead.meanMs)} (${formatPct(outsideShare)}) outside the server (${formatPct(TRANSPORT_SHARE)} or more is transport)`,
    ];
    if (delayedAckPattern(overhead)) {
      evidence.push(
        `the time outside the server clusters near ${DELAYED_ACK_MS} ms (p50 ${formatMs(overhead.p50Ms ?? 0)}, p90 ${formatMs(overhead.p90Ms ?? 0)}): ` +
          'the Nagle / delayed-ACK pattern (a write split in two segments waits for the delayed ACK; TCP_NODELAY on both ends removes it)',
      );
    }
    return judged('transport', evidence);
  }
  return serverSide(facts, server, inference.mean, outsideShare);
}

function serverSide(facts: StepFacts, server: ServerFacts, inferenceMs: number, outsideShare: number): Bottleneck {
  const evidence = [
    `${serverTimeSentence(inferenceMs, server)}: ${formatPct(outsideShare)} outside it (under ${formatPct(TRANSPORT_SHARE)})`,
  ];
  if (server.shared) evidence.push('the server counted far more requests than this run sent: its figures include other load');
  const gpu = busiestGpu(facts);
  const gpuIdle =
    gpu === undefined
      ? null
      : `${gpuName(gpu)} ran a kernel only ${formatPct(gpu.busyShare)} of the step (under ${formatPct(GPU_BUSY_SHARE)})`;
  if (server.queueMs !== null && server.computeMs !== null && server.queueMs + server.computeMs > 0) {
    const queued = server.queueMs / (server.queueMs + server.computeMs);
    const split = `in the server requests queued ${formatMs(server.queueMs)} and computed ${formatMs(server.computeMs)} (${formatPct(queued)} queued)`;
    if (queued >= SERVER_QUEUE_SHARE) {
      return judged('server-queue', [
        ...evidence,
        `${split}, ${formatPct(SERVER_QUEUE_SHARE)} or more is the server's queue`,
        ...batchFill(server),
        ...(gpuIdle === null ? [] : [gpuIdle]),
      ]);
    }
    evidence.push(`${split}: computing, not queueing`);
  }
  if (gpuIdle !== null) return judged('server-cpu', [...evidence, gpuIdle, ...batchFill(server)]);
  // A server on this host with no process on the GPU computes on its CPU.
  const unused = facts.unusedGpus.find((gpu) => gpu.use.basis === 'process-list');
  if (unused !== undefined) return judged('server-cpu', [...evidence, notUsedNote(unused.gpuIndex, unused.use)]);
  return judged('unknown', [
    ...evidence,
    'no GPU figures (local nvidia-smi of the server, or its DCGM / Triton metrics) say whether it computed on a GPU or its CPU',
  ]);
}

function batchFill(server: ServerFacts): string[] {
  if (server.batchSizeMean === null || server.maxBatchSize === null || !(server.maxBatchSize > 0)) return [];
  const fill = server.batchSizeMean / server.maxBatchSize;
  const reading =
    fill < BATCH_FILL_LOW
      ? 'the batcher dispatches before batches fill (its delay)'
      : 'batches fill: more model instances would serve the queue';
  return [
    `server batches averaged ${server.batchSizeMean.toFixed(1)} items of a maximum ${server.maxBatchSize} (${formatPct(fill)}): ${reading}`,
  ];
}

function modelBound(step: BottleneckSubject, facts: StepFacts, context: BottleneckContext): Bottleneck {
  const inference = facts.inference;
  const evidence: string[] = [];
  if (inference !== null) {
    evidence.push(
      `the model call took ${formatMs(inference.mean)} of ${formatMs(facts.e2e.mean)} e2e (${formatPct(inference.mean / facts.e2e.mean)})`,
    );
  }
  evidence.push(...instanceSentence(facts), `batches of ${step.meanBatchSize.toFixed(1)} items (batch size ${step.batchSize})`);
  const backend = context.placement.backend;
  if (backend !== null) evidence.push(backend.gpu ? `backend ${backend.name} on the GPU` : `backend ${backend.name} on the CPU`);
  const gpu = busiestGpu(facts);
  if (gpu !== undefined)
    evidence.push(`${gpuName(gpu)} ran a kernel ${formatPct(gpu.busyShare)} of the step: the host side of the model call holds it back`);
  return judged('model-bound', evidence);
}
