#!/usr/bin/env node
/* global process, performance, setTimeout, console */
/* eslint-disable no-console -- a script whose output is its result */
// Deeper check of pipebench's GPU telemetry on a real GPU node (needs `npm run build` first):
// inventory, a live trace recorded while an optional load command runs, the aggregates of the
// idle and loaded windows, per-process memory during the load, the driver's real error for a
// missing GPU index, and that no nvidia-smi process is left.
// Usage: node gpu/sampler-check.mjs <out-dir> [load command...]
//   e.g. node gpu/sampler-check.mjs /tmp/check python3 -c "import torch; ..."
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (m) => import(join(root, 'dist/telemetry', m));
const { readGpuInventory } = await load('gpu-inventory.js');
const { startNvidiaSmiSampler } = await load('gpu-sampler.js');
const { summarizeGpuWindow } = await load('gpu-aggregate.js');
const { queryComputeApps } = await load('compute-apps.js');
const { runCommand, describeFailure } = await load('run-command.js');
const { liveChildPids } = await load('child-registry.js');
const { startHarnessHealth } = await load('harness-health.js');

const out = process.argv[2] ?? '/tmp/pipebench-sampler-check';
const loadCommand = process.argv.slice(3);
mkdirSync(out, { recursive: true });
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const report = {};

report.inventory = await readGpuInventory();
const health = startHarnessHealth();
const rawLines = [];
const sampler = await startNvidiaSmiSampler({ intervalMs: 100, onLine: (line) => rawLines.push(line) });
report.samplerPid = sampler.pid;
report.ready = await sampler.ready;
const idleFrom = now();
await sleep(2500);
const idleTo = now();
let loadWindow = null;
if (loadCommand.length > 0) {
  const loadStart = now();
  const child = spawn(loadCommand[0], loadCommand.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
  await sleep(4500); // CUDA start-up in the load process takes a few seconds
  report.computeAppsDuringLoad = await queryComputeApps({ ownPids: [child.pid] });
  const [code] = await new Promise((resolve) => child.once('exit', (...a) => resolve(a)));
  report.loadExit = code;
  loadWindow = { from: loadStart, to: now() };
  await sleep(1500);
}
const result = await sampler.stop();
report.health = health.stop(result);
report.status = result.status;
report.reason = result.reason;
report.fields = result.fields;
report.lines = result.lines;
report.samplerCpuMs = result.samplerCpuMs;
report.samplerGone = (() => { try { process.kill(sampler.pid, 0); return false; } catch { return true; } })();
report.liveChildren = liveChildPids();
report.firstSample = result.samples[0] ?? null;
report.idle = summarizeGpuWindow(result.samples, idleFrom, idleTo);
if (loadWindow !== null) report.load = summarizeGpuWindow(result.samples, loadWindow.from, loadWindow.to);
// The sample clock: nvidia-smi's local-time stamps against our clock at receipt.
report.stampSkewMs = result.samples.length > 0 ? result.samples.at(-1).tMs - idleFrom : null;
const missing = await runCommand('nvidia-smi', ['--query-gpu=index', '--format=csv', '-i', '99'], { timeoutMs: 5000 });
report.missingGpuIndex = { outcome: missing, described: describeFailure('nvidia-smi', missing, 5000) };
const badField = await runCommand('nvidia-smi', ['--query-gpu=index,no.such.field', '--format=csv'], { timeoutMs: 5000 });
report.badField = { outcome: badField, described: describeFailure('nvidia-smi', badField, 5000) };
writeFileSync(join(out, 'trace.csv'), rawLines.join('\n') + '\n');
writeFileSync(join(out, 'sampler-check.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify({ status: report.status, reason: report.reason, samples: report.lines.samples, dropped: report.fields?.dropped, samplerGone: report.samplerGone, idleUtilMax: report.idle[0]?.utilPct?.max, loadUtil: report.load?.[0]?.utilPct, loadPowerW: report.load?.[0]?.powerW, computeApps: report.computeAppsDuringLoad, missingGpu: report.missingGpuIndex.described, badField: report.badField.described }, null, 1));
