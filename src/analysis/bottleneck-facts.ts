/**
 * The figures a step's bottleneck verdict is judged from, gathered from what the step measured:
 * the harness's CPU and event-loop delay over the step's window, the server's own time (its
 * response's processing time or its scraped metrics), the time outside the server, and the GPUs
 * the model may have run on (local nvidia-smi, or the server's). Pure.
 */
import type { LatencySummary } from '../core/measurement.js';
import type { ServerEndpointStep } from '../core/report/server-metrics.js';
import type { StepReport } from '../core/report/step.js';
import type { GpuWindowSummary, HarnessHealthReport, HostReport, HostSample } from '../core/report/telemetry.js';
import { modelGpuUse, type ModelGpuUse, type ModelPlacement } from '../telemetry/gpu-use.js';

/** What the judge knows beyond the step: where the model runs, and the run's host and harness records. */
export interface BottleneckContext {
  readonly placement: ModelPlacement;
  /** In process: the model instances the backend ran (null over HTTP). */
  readonly instances: number | null;
  readonly host: HostReport | null;
  readonly harnessHealth: HarnessHealthReport | null;
}

export type BottleneckSubject = Pick<
  StepReport,
  'completed' | 'latencyMs' | 'meanBatchSize' | 'batchSize' | 'startedAtMs' | 'endedAtMs' | 'measuredMs' | 'gpu' | 'serverMetrics'
>;

export interface HarnessFacts {
  /** pipebench's own CPU, % of one core; null in process (the model's worker threads count there too). */
  readonly cpuPct: number | null;
  /** Event-loop delay median beyond the monitor's resolution, ms (a p99 is one pause; a median is a saturated loop). */
  readonly loopDelayP50Ms: number | null;
  /** Event-loop delay p99 beyond the resolution, ms: late stamps and late sends, one pause at a time. */
  readonly loopDelayP99Ms: number | null;
  /** Host samples in the step's window, or the whole run's harness record when none fell in it. */
  readonly over: 'step' | 'run';
}

export interface GpuFacts {
  readonly gpuIndex: number;
  /** local: this host's nvidia-smi; server: the server's metrics (DCGM, Triton). */
  readonly where: 'local' | 'server';
  readonly busyShare: number;
  readonly throttledShare: number | null;
  /** Throttle reasons other than gpu_idle seen in the step. */
  readonly loadReasons: readonly string[];
  readonly smClockMHz: GpuWindowSummary['smClockMHz'];
}

export interface ServerFacts {
  /** Per-request time the server says it spent, ms (queue + compute where split). */
  readonly serverMs: number;
  readonly from: 'response' | 'metrics';
  readonly queueMs: number | null;
  readonly computeMs: number | null;
  readonly batchSizeMean: number | null;
  readonly maxBatchSize: number | null;
  /** The server counted far more requests than this run sent: others load it too. */
  readonly shared: boolean;
}

export interface StepFacts {
  readonly e2e: LatencySummary;
  readonly inference: LatencySummary | null;
  readonly queue: LatencySummary | null;
  readonly harness: HarnessFacts | null;
  readonly server: ServerFacts | null;
  /** Client inference time outside the server: from the items' own overhead phase where they carry one. */
  readonly overhead: { readonly meanMs: number; readonly p50Ms: number | null; readonly p90Ms: number | null } | null;
  /** GPUs the model runs or may run on, with figures; GPUs it does not use are left out. */
  readonly gpus: readonly GpuFacts[];
  /** Local GPUs with samples that the model does not use, and why. */
  readonly unusedGpus: readonly { readonly gpuIndex: number; readonly use: ModelGpuUse }[];
  /** In process: the share of the step the model instances spent in model calls; null over HTTP or unknown. */
  readonly instanceBusyShare: number | null;
}

/** Null when the step has no e2e latency (no item completed). */
export function stepFacts(step: BottleneckSubject, context: BottleneckContext): StepFacts | null {
  const e2e = step.latencyMs.e2e;
  if (e2e === undefined || step.completed === 0) return null;
  const server = serverFacts(step);
  const inference = step.latencyMs.inference ?? null;
  const { used, unused } = localGpus(step, context.placement);
  return {
    e2e,
    inference,
    queue: step.latencyMs.queue ?? null,
    harness: harnessFacts(step, context),
    server,
    overhead: overheadFacts(step, server, inference),
    gpus: [...used, ...serverGpus(step)],
    unusedGpus: unused,
    instanceBusyShare: instanceBusyShare(step, context, inference),
  };
}

/** Model calls (completed items / mean batch size) x their mean time, over the step's span and the instances. */
function instanceBusyShare(step: BottleneckSubject, context: BottleneckContext, inference: LatencySummary | null): number | null {
  const instances = context.instances;
  if (context.placement.target.kind !== 'inprocess' || instances === null || inference === null) return null;
  if (!(step.measuredMs > 0) || !(step.meanBatchSize > 0) || !(instances > 0)) return null;
  return Math.min(1, ((step.completed / step.meanBatchSize) * inference.mean) / (step.measuredMs * instances));
}

/** A host sample at tMs covers the interval before it: it counts when that interval overlaps the step. */
function samplesIn(host: HostReport, startMs: number, endMs: number): HostSample[] {
  return host.timeline.filter((sample) => sample.tMs > startMs && sample.tMs - host.intervalMs < endMs);
}

function mean(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / known.length;
}

function harnessFacts(step: BottleneckSubject, context: BottleneckContext): HarnessFacts | null {
  // process.cpuUsage() counts every thread: in process that is the model's workers, not the harness.
  const ownCpu = context.placement.target.kind === 'http';
  const inStep = context.host === null ? [] : samplesIn(context.host, step.startedAtMs, step.endedAtMs);
  const cpuPct = mean(inStep.map((s) => s.processCpuPct));
  const loopDelayP50Ms = mean(inStep.map((s) => s.eventLoopDelayP50Ms ?? null));
  const loopDelayP99Ms = mean(inStep.map((s) => s.eventLoopDelayP99Ms));
  if (cpuPct !== null || loopDelayP50Ms !== null) return { cpuPct: ownCpu ? cpuPct : null, loopDelayP50Ms, loopDelayP99Ms, over: 'step' };
  const run = context.harnessHealth;
  if (run === null) return null;
  return {
    cpuPct: ownCpu ? run.cpuShare * 100 : null,
    loopDelayP50Ms: run.eventLoopDelay?.p50Ms ?? null,
    loopDelayP99Ms: run.eventLoopDelay?.p99Ms ?? null,
    over: 'run',
  };
}

/** The first endpoint that splits a request's server time (a DCGM exporter has GPUs only). */
function timedEndpoint(step: BottleneckSubject): ServerEndpointStep | null {
  return step.serverMetrics?.endpoints.find((endpoint) => endpoint.computeMs?.mean != null) ?? null;
}

function serverFacts(step: BottleneckSubject): ServerFacts | null {
  const endpoint = timedEndpoint(step);
  const split = {
    queueMs: endpoint?.queueMs?.mean ?? null,
    computeMs: endpoint?.computeMs?.mean ?? null,
    batchSizeMean: endpoint?.batchSize?.mean ?? null,
    maxBatchSize: endpoint?.maxBatchSize ?? null,
    shared: endpoint?.shared ?? false,
  };
  const reported = step.latencyMs.server;
  // The response's own processing time is per item and exact; the metrics' split adds queue vs compute.
  if (reported !== undefined) return { serverMs: reported.mean, from: 'response', ...split };
  if (split.computeMs === null) return null;
  return { serverMs: (split.queueMs ?? 0) + split.computeMs, from: 'metrics', ...split };
}

function overheadFacts(step: BottleneckSubject, server: ServerFacts | null, inference: LatencySummary | null): StepFacts['overhead'] {
  const measured = step.latencyMs.overhead;
  if (measured !== undefined) return { meanMs: measured.mean, p50Ms: measured.p50, p90Ms: measured.p90 };
  if (server === null || inference === null) return null;
  return { meanMs: Math.max(0, inference.mean - server.serverMs), p50Ms: null, p90Ms: null };
}

function gpuFacts(summary: GpuWindowSummary, where: GpuFacts['where']): GpuFacts | null {
  if (summary.samples === 0 || summary.busyShare === null) return null;
  return {
    gpuIndex: summary.gpuIndex,
    where,
    busyShare: summary.busyShare,
    throttledShare: summary.throttledShare,
    loadReasons: summary.throttleReasons.filter((reason) => reason !== 'gpu_idle'),
    smClockMHz: summary.smClockMHz,
  };
}

function localGpus(step: BottleneckSubject, placement: ModelPlacement): { used: GpuFacts[]; unused: StepFacts['unusedGpus'][number][] } {
  const used: GpuFacts[] = [];
  const unused: StepFacts['unusedGpus'][number][] = [];
  const processes = [step.gpu?.processesAtStart ?? null, step.gpu?.processesAtEnd ?? null];
  for (const summary of step.gpu?.gpus ?? []) {
    if (summary.samples === 0) continue;
    const use = modelGpuUse(placement, summary, processes);
    if (use.kind === 'not-used') unused.push({ gpuIndex: summary.gpuIndex, use });
    else {
      const facts = gpuFacts(summary, 'local');
      if (facts !== null) used.push(facts);
    }
  }
  return { used, unused };
}

function serverGpus(step: BottleneckSubject): GpuFacts[] {
  return (step.serverMetrics?.endpoints ?? []).flatMap((endpoint) =>
    endpoint.gpus.map((gpu) => gpuFacts(gpu, 'server')).filter((f): f is GpuFacts => f !== null),
  );
}
