/**
 * Host metrics beside the GPU's, one HostSample per interval: this process's CPU, the machine's
 * CPU, RSS and heap, event-loop delay, network bytes and (in-process targets) tf.memory() of the
 * model instances. Rates cover the time between two reads, so the first sample has none.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { InternalError } from '../errors.js';
import { epochNowMs, type Clock } from '../core/clock.js';
import { summarizeEventLoopDelay } from './harness-health.js';
import { DEFAULT_HOST_POINTS, downsampleHostSamples } from './host-timeline.js';
import { cpuBusyPct, readCpuTimes, type CpuTimes } from './proc-cpu.js';
import { netBytesBetween, readNetCounters, type NetCounters } from './proc-net.js';
import type { HostReport, HostSample, TfMemory } from '../core/report/telemetry.js';

export interface HostSampler {
  /** The newest sample (live view); null before the first. */
  latest(): HostSample | null;
  /** Takes a last sample, stops every timer and builds the report; idempotent. */
  stop(): Promise<HostReport>;
}

export interface HostSamplerOptions {
  readonly intervalMs?: number;
  readonly clock?: Clock;
  /** tf.memory() of the model instances; a sample skips it when it does not answer within the interval. */
  readonly tfMemory?: () => Promise<TfMemory | null>;
  /** Timeline length in the report (default 2000). */
  readonly maxPoints?: number;
  /** Event-loop delay monitor resolution (ms, default 10). */
  readonly resolutionMs?: number;
}

interface Reading {
  readonly atMs: number;
  readonly cpuUsage: NodeJS.CpuUsage;
  readonly cpuTimes: CpuTimes | null;
  readonly net: NetCounters | null;
}

export function startHostSampler(options: HostSamplerOptions = {}): HostSampler {
  const clock = options.clock ?? epochNowMs;
  const intervalMs = options.intervalMs ?? 1000;
  const maxPoints = Math.max(2, Math.floor(options.maxPoints ?? DEFAULT_HOST_POINTS));
  const resolutionMs = options.resolutionMs ?? 10;
  // Raw samples kept: 4 x maxPoints (8,000 by default: a 2-hour run at 1 s fits whole). Beyond
  // that the oldest part is folded to bucket extremes, so memory stays bounded for any length.
  const retainLimit = 4 * maxPoints;
  const loopDelay = monitorEventLoopDelay({ resolution: resolutionMs });
  loopDelay.enable();

  let retained: HostSample[] = [];
  let count = 0;
  let first: HostSample | null = null;
  let newest: HostSample | null = null;
  let rssPeak = 0;
  let heapPeak = 0;
  let tfStart: TfMemory | null = null;
  let tfEnd: TfMemory | null = null;
  let netRxTotal: number | null = null;
  let netTxTotal: number | null = null;
  let previous: Reading | null = null;
  let tfPending = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let stopped = false;
  let report: Promise<HostReport> | null = null;

  /** At most one tf.memory() request in flight: a slow answer is dropped, never queued behind. */
  async function askTfMemory(): Promise<TfMemory | null> {
    if (options.tfMemory === undefined || tfPending) return null;
    tfPending = true;
    const answer = options.tfMemory().then(
      (memory) => memory,
      () => null,
    );
    void answer.finally(() => {
      tfPending = false;
    });
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      deadline = setTimeout(() => resolve(null), intervalMs);
    });
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(deadline);
    }
  }

  async function sample(): Promise<void> {
    const atMs = clock();
    const cpuUsage = process.cpuUsage();
    // heapUsed is the main isolate's only: worker threads' heaps show in RSS, not here.
    const memory = process.memoryUsage();
    const loop = summarizeEventLoopDelay(loopDelay, resolutionMs);
    loopDelay.reset();
    const [cpuTimes, net, tfMemory] = await Promise.all([readCpuTimes(), readNetCounters(), askTfMemory()]);
    const reading: Reading = { atMs, cpuUsage, cpuTimes, net };
    const moved = previous === null ? null : ratesBetween(previous, reading);
    // stop() may sample just after a tick: rates over a sliver of the interval are noise, so none;
    // the bytes moved in that sliver still count toward the totals.
    const rates = moved === null || atMs - (previous?.atMs ?? atMs) < intervalMs / 10 ? null : moved;
    if (moved?.net) {
      netRxTotal = (netRxTotal ?? 0) + moved.net.rxBytes;
      netTxTotal = (netTxTotal ?? 0) + moved.net.txBytes;
    } else if (previous === null && net !== null) {
      netRxTotal = 0;
      netTxTotal = 0;
    }
    previous = reading;
    const next: HostSample = {
      tMs: atMs,
      processCpuPct: rates?.processCpuPct ?? null,
      systemCpuPct: rates?.systemCpuPct ?? null,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelayP99Ms: loop?.p99Ms ?? null,
      eventLoopDelayP50Ms: loop?.p50Ms ?? null,
      netRxBytesPerSec: rates?.net ? rates.net.rxBytesPerSec : null,
      netTxBytesPerSec: rates?.net ? rates.net.txBytesPerSec : null,
      tfMemory,
    };
    keep(next);
  }

  function keep(next: HostSample): void {
    count++;
    first ??= next;
    newest = next;
    rssPeak = Math.max(rssPeak, next.rssBytes);
    heapPeak = Math.max(heapPeak, next.heapUsedBytes);
    // tf.memory() start and end are the first and last answers: a sample it skipped says nothing.
    if (next.tfMemory !== null) {
      tfStart ??= next.tfMemory;
      tfEnd = next.tfMemory;
    }
    retained.push(next);
    if (retained.length >= retainLimit) retained = downsampleHostSamples(retained, retainLimit / 2);
  }

  /** Each tick starts one interval after the previous one started; ticks never overlap. */
  function tick(): void {
    const startedMs = clock();
    // A failed read (EMFILE under a stress run) loses one sample, never the sampler or the run.
    ticking = sample()
      .catch(skipFailed)
      .then(() => {
        if (stopped) return;
        timer = setTimeout(tick, Math.max(0, startedMs + intervalMs - clock()));
        timer.unref();
      });
  }

  tick();

  return {
    latest: () => newest,
    stop() {
      report ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await ticking;
        await sample().catch(skipFailed);
        loopDelay.disable();
        const start = first;
        const end = newest;
        if (start === null || end === null) throw new InternalError('the host sampler could not take a single sample');
        return {
          intervalMs,
          samples: count,
          maxPoints,
          timeline: downsampleHostSamples(retained, maxPoints),
          rssBytes: { start: start.rssBytes, end: end.rssBytes, peak: rssPeak },
          heapUsedBytes: { start: start.heapUsedBytes, end: end.heapUsedBytes, peak: heapPeak },
          tfMemory: { start: tfStart, end: tfEnd },
          netRxBytes: netRxTotal,
          netTxBytes: netTxTotal,
        };
      })();
      return report;
    },
  };
}

function skipFailed(): void {
  // Nothing to keep: the sample is simply missing from the timeline.
}

interface Rates {
  readonly processCpuPct: number | null;
  readonly systemCpuPct: number | null;
  readonly net: {
    readonly rxBytes: number;
    readonly txBytes: number;
    readonly rxBytesPerSec: number;
    readonly txBytesPerSec: number;
  } | null;
}

function ratesBetween(before: Reading, after: Reading): Rates {
  const elapsedMs = after.atMs - before.atMs;
  const cpuUs = after.cpuUsage.user - before.cpuUsage.user + (after.cpuUsage.system - before.cpuUsage.system);
  const moved = before.net !== null && after.net !== null ? netBytesBetween(before.net, after.net) : null;
  return {
    // process.cpuUsage() counts every thread of the process, model worker threads included.
    processCpuPct: elapsedMs > 0 ? (100 * cpuUs) / 1000 / elapsedMs : null,
    systemCpuPct: before.cpuTimes !== null && after.cpuTimes !== null ? cpuBusyPct(before.cpuTimes, after.cpuTimes) : null,
    net:
      moved === null || elapsedMs <= 0
        ? null
        : { ...moved, rxBytesPerSec: (1000 * moved.rxBytes) / elapsedMs, txBytesPerSec: (1000 * moved.txBytes) / elapsedMs },
  };
}
