/**
 * bench:http — how fast pipebench's HTTP driver is, against autocannon as the public baseline.
 *
 *   npm run bench:http -- [--rounds 4] [--seconds 5] [--connections 10]
 *
 * One trivial loopback server (its own process) for the whole run. Each round runs every client
 * in a fresh process, alternating which goes first, so drift on a shared machine hits both alike:
 * - throughput: pipebench (closed loop, N connections) vs autocannon (N connections): requests/s
 *   and the client's CPU per request. Goal: pipebench / autocannon >= 1.0.
 * - latency: pipebench at 1 request in flight vs a raw one-socket client: p50. Goal: pipebench
 *   adds <= 50 us at p50.
 * Ratios are per round and their median is the figure; absolute numbers depend on the machine.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { firstJsonLine } from './child-rounds.js';
import type { RoundResult } from './http-client.js';
import { median } from './median.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

async function round(mode: RoundResult['mode'], port: number, roundConnections: number): Promise<RoundResult> {
  const child = spawn(process.execPath, [here('./http-client.js'), mode, String(port), String(seconds), String(roundConnections)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [result] = await Promise.all([firstJsonLine<RoundResult>(child), once(child, 'exit')]);
  if (child.exitCode !== 0) throw new Error(`${mode} round exited with ${child.exitCode}`);
  return result;
}

/** Runs a then b, or b then a on odd rounds. */
async function pair(index: number, a: () => Promise<RoundResult>, b: () => Promise<RoundResult>): Promise<[RoundResult, RoundResult]> {
  if (index % 2 === 0) return [await a(), await b()];
  const second = await b();
  return [await a(), second];
}

const server = spawn(process.execPath, [here('./http-echo-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const { port } = await firstJsonLine<{ port: number }>(server);
  console.log(
    `bench:http against a loopback server on :${port}: ${rounds} rounds of ${seconds} s per client, ${connections} connections\n`,
  );
  const throughputRatios: number[] = [];
  const cpuRatios: number[] = [];
  const addedUs: number[] = [];
  console.log(
    '| round | pipebench req/s | autocannon req/s | ratio | CPU us/req pipebench / autocannon | pipebench p50 @1 | raw p50 @1 | added |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (let r = 0; r < rounds; r++) {
    const [ours, theirs] = await pair(
      r,
      () => round('pipebench', port, connections),
      () => round('autocannon', port, connections),
    );
    const [oursAt1, raw] = await pair(
      r,
      () => round('pipebench', port, 1),
      () => round('raw', port, 1),
    );
    throughputRatios.push(ours.requestsPerSec / theirs.requestsPerSec);
    cpuRatios.push(ours.cpuUsPerRequest / theirs.cpuUsPerRequest);
    addedUs.push(oursAt1.p50Us - raw.p50Us);
    console.log(
      `| ${r + 1} | ${ours.requestsPerSec.toFixed(0)} | ${theirs.requestsPerSec.toFixed(0)} | ${throughputRatios.at(-1)!.toFixed(3)} | ` +
        `${ours.cpuUsPerRequest.toFixed(1)} / ${theirs.cpuUsPerRequest.toFixed(1)} | ${oursAt1.p50Us.toFixed(1)} us | ${raw.p50Us.toFixed(1)} us | ${addedUs.at(-1)!.toFixed(1)} us |`,
    );
  }
  const ratio = median(throughputRatios);
  const added = median(addedUs);
  console.log(
    `\nthroughput ratio pipebench / autocannon (median of ${rounds}): ${ratio.toFixed(3)}  goal >= 1.0: ${ratio >= 1 ? 'met' : 'NOT met'}`,
  );
  console.log(`client CPU per request, pipebench / autocannon (median): ${median(cpuRatios).toFixed(3)} (lower is leaner)`);
  console.log(`added client-side latency at p50 (median): ${added.toFixed(1)} us  goal <= 50 us: ${added <= 50 ? 'met' : 'NOT met'}`);
} finally {
  server.kill('SIGTERM');
}
