#!/usr/bin/env node
/* global process, setTimeout, console */
/* eslint-disable no-console -- a script whose output is its result */
// The harness's own cost of GPU sampling at 10 Hz: CPU per parsed sample and event-loop delay,
// with the sampler off, replaying the recorded H100 trace, or live nvidia-smi (on a GPU node).
// Usage (after `npm run build`): node gpu/sampling-cost.mjs off|replay|live [seconds=10]
// Prints one JSON object. Compare `off` with `replay`/`live` run the same way on the same host.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startHarnessHealth } = await import(join(root, 'dist/telemetry/harness-health.js'));
const { startReplaySampler } = await import(join(root, 'dist/telemetry/gpu-replay.js'));
const { startNvidiaSmiSampler } = await import(join(root, 'dist/telemetry/gpu-sampler.js'));

const mode = process.argv[2] ?? 'replay';
const seconds = Number(process.argv[3] ?? 10);
const trace = join(root, 'test/fixtures/gpu/h100-80gb-hbm3/trace-100ms.csv');

const health = startHarnessHealth({ resolutionMs: 10 });
const sampler =
  mode === 'off' ? null
  : mode === 'live' ? await startNvidiaSmiSampler({ intervalMs: 100 })
  : await startReplaySampler(trace, { timeZone: { kind: 'offset', offsetMinutes: 0 } });
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const result = sampler === null ? null : await sampler.stop();
const report = health.stop(result);
const cpuMs = report.cpuUserMs + report.cpuSystemMs;
console.log(JSON.stringify({
  mode,
  seconds,
  status: result?.status ?? null,
  reason: result?.reason ?? null,
  samples: result?.lines.samples ?? 0,
  harnessCpuMs: Number(cpuMs.toFixed(1)),
  harnessCpuUsPerSample: result && result.lines.samples > 0 ? Number(((cpuMs * 1000) / result.lines.samples).toFixed(1)) : null,
  parseUsPerSample: report.gpuSampling?.parseUsPerSample === null || report.gpuSampling === null ? null : Number(report.gpuSampling.parseUsPerSample.toFixed(2)),
  eventLoopDelayP99Ms: report.eventLoopDelay?.p99Ms ?? null,
  eventLoopDelayMaxMs: report.eventLoopDelay?.maxMs ?? null,
  samplerCpuMs: report.gpuSampling?.samplerCpuMs ?? null,
  samplerCpuShare: report.gpuSampling?.samplerCpuShare ?? null,
}));
