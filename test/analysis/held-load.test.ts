import { describe, expect, it } from 'vitest';
import { heldLoadWarning, plannedInFlight, type HeldLoadSubject } from '../../src/analysis/held-load.js';
import type { BottleneckContext } from '../../src/analysis/bottleneck-facts.js';
import type { HostReport, HostSample } from '../../src/core/report/telemetry.js';
import type { HttpTargetSpec, TargetSpec } from '../../src/core/workload.js';

const e2e = { count: 1000, mean: 6, p50: 5.5, p90: 8, p95: 9, p99: 12, max: 20, min: 5 };

function step(overrides: Partial<HeldLoadSubject> = {}): HeldLoadSubject {
  return {
    index: 2,
    stage: 'classify',
    mode: 'dynamic',
    batchSize: 1,
    concurrency: 16,
    achievedConcurrency: 12,
    openLoop: null,
    completed: 1000,
    latencyMs: { e2e },
    meanBatchSize: 1,
    startedAtMs: 10_000,
    endedAtMs: 12_000,
    measuredMs: 2000,
    gpu: null,
    ...overrides,
  };
}

const http = { kind: 'http', connections: 'auto', pipelining: 1 } as unknown as HttpTargetSpec;

function sample(tMs: number, processCpuPct: number, eventLoopDelayP99Ms: number): HostSample {
  return {
    tMs,
    processCpuPct,
    systemCpuPct: null,
    rssBytes: 0,
    heapUsedBytes: 0,
    eventLoopDelayP99Ms,
    eventLoopDelayP50Ms: 0.1,
    netRxBytesPerSec: null,
    netTxBytesPerSec: null,
    tfMemory: null,
  };
}

function context(samples: readonly HostSample[]): BottleneckContext {
  const host = { intervalMs: 1000, timeline: samples } as unknown as HostReport;
  return { placement: { target: { kind: 'http', url: 'http://127.0.0.1:1' }, backend: null }, instances: null, host, harnessHealth: null };
}

describe('heldLoadWarning', () => {
  it('says nothing at or above 95 % of the planned count, and nothing for open-loop steps', () => {
    const quiet = context([sample(11_000, 99, 30)]);
    expect(heldLoadWarning(step({ achievedConcurrency: 15.2 }), http, quiet)).toBeNull();
    expect(heldLoadWarning(step({ concurrency: null, achievedConcurrency: 3 }), http, quiet)).toBeNull();
    expect(heldLoadWarning(step({ achievedConcurrency: null }), http, quiet)).toBeNull();
  });

  it('names client CPU when pipebench used most of a core over the step', () => {
    const warning = heldLoadWarning(step(), http, context([sample(11_000, 97, 0.2), sample(12_000, 95, 0.2)]));
    expect(warning).toBe(
      'step 2 (classify batch 1 x16 in flight): held 12.0 in flight, 75 % of the 16 planned (below 95 %): the target saw less load than asked; ' +
        'likely cause: client CPU: pipebench used 96 % of one core over the step (85 % or more: it sends late)',
    );
  });

  it('names event-loop delay when its p99 is a tenth of a request or more, and connections when the pool is smaller than N', () => {
    const capped = { ...http, connections: 4, pipelining: 2 } as HttpTargetSpec;
    const warning = heldLoadWarning(step(), capped, context([sample(11_000, 40, 2.5)]));
    expect(warning).toContain(
      'likely cause: connections: 4 connections x pipelining 2 carry at most 8 requests at once (raise --connections or target.connections to 16); ' +
        'event-loop delay: p99 2.5 ms over the step against an e2e p50 of 5.5 ms',
    );
  });

  it('says what it saw when no cause stands out', () => {
    const warning = heldLoadWarning(step(), http, context([sample(11_000, 40, 0.2)]));
    expect(warning).toContain("cause not identified from the step's figures (CPU 40 % of one core, event-loop p99 0.2 ms over the step)");
  });
});

describe('plannedInFlight', () => {
  const inprocess = { kind: 'inprocess' } as TargetSpec;
  it('counts requests over HTTP and items in process, where static mode keeps whole batches (at least one) in flight', () => {
    expect(plannedInFlight(step({ mode: 'static', batchSize: 4, concurrency: 8 }), 'http')).toBe(8);
    expect(plannedInFlight(step({ mode: 'static', batchSize: 32, concurrency: 8 }), inprocess.kind)).toBe(32);
    expect(plannedInFlight(step({ mode: 'static', batchSize: 4, concurrency: 10 }), inprocess.kind)).toBe(8);
    expect(plannedInFlight(step({ profile: { name: 'ramp' } as HeldLoadSubject['profile'] }), 'http')).toBeNull();
  });
});
