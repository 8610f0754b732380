/**
 * bench:http — pipebench as an HTTP load generator, against its peers in one run:
 *
 *   npm run bench:http -- [--servers instant,5ms,20ms] [--levels 1,16,64] [--clients pipebench,undici,autocannon,hey,wrk]
 *                         [--rounds 2] [--seconds 1] [--workers N] [--pipelining K]
 *
 * One loopback server process (http-echo-server.ts) answers at once or after 5 or 20 ms of service
 * time, by route. Every cell (server x requests in flight) runs every client in a fresh process:
 * pipebench through its CLI at 1 worker and then with --workers N (when the CLI has the flag),
 * undici's floor (undici-floor-client.ts: undici's Pool with pipebench's connection options and
 * dispatch, nothing of pipebench around them; with --pipelining K > 1 also pipelined, K requests per connection),
 * autocannon (npm), and hey and wrk where installed. Each client's own figures (requests/s,
 * p50/p99), its CPU per request (the same /proc method for all: whole process, start-up included, and
 * marginal, from a pair of runs of S and 3S seconds), achieved in flight (Little's law on its own
 * figures) and the server's CPU. Rounds alternate the clients' order; goals are judged on per-round
 * ratios, median reported.
 * The Markdown goes to stdout, progress to stderr.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PipebenchError } from '../errors.js';
import { clockTicksPerSec } from './child-cpu.js';
import { firstJsonLine } from './child-rounds.js';
import { cliTakesWorkers, findPeers, FLOOR_NAME, pipebenchClient, undiciFloorClient, type PeerClient } from './peer-clients.js';
import { floorComparisons, renderFloorComparisons } from './peer-floor.js';
import { parsePeerBenchFlags, type PeerBenchFlags } from './peer-flags.js';
import { LONG_RUN_FACTOR, runGrid, type CellRun } from './peer-grid.js';
import { judgeGoals, type GoalCells } from './peer-goals.js';
import { fixedCpuMs, summarizeRows } from './peer-summary.js';
import { FIGURE_NOTES, renderFixedCpu, renderGoals, renderTable, type MissingClient } from './peer-table.js';

/** The cell the goals name: 16 in flight against a 5 ms server. */
const GOAL_SERVER = '5ms';
const GOAL_IN_FLIGHT = 16;

async function chooseClients(flags: PeerBenchFlags): Promise<{ clients: PeerClient[]; missing: MissingClient[]; lines: string[] }> {
  const clients: PeerClient[] = [];
  const missing: MissingClient[] = [];
  if (flags.withPipebench) {
    clients.push(pipebenchClient(null));
    if (flags.workers > 1) {
      if (await cliTakesWorkers()) clients.push(pipebenchClient(flags.workers));
      else missing.push({ client: `pipebench x${flags.workers}`, reason: 'needs --workers' });
    }
  }
  if (flags.withFloor) {
    clients.push(undiciFloorClient());
    if (flags.floorPipelining > 1) clients.push(undiciFloorClient(flags.floorPipelining));
  }
  const peers = findPeers(flags.peers);
  clients.push(...peers.found);
  const lines = [
    `peers found: ${peers.found.map((p) => p.name).join(', ') || 'none'}`,
    ...peers.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
    ...missing.map((m) => `skipped ${m.client}: this pipebench's run ${m.reason}`),
  ];
  return { clients, missing, lines };
}

function goalCells(flags: PeerBenchFlags, clients: readonly PeerClient[]): GoalCells {
  const ceilingServer = [...flags.servers].sort((a, b) => a.delayMs - b.delayMs)[0]!;
  const workersClient = clients.find((c) => c.name.startsWith('pipebench x'));
  return {
    goalServer: GOAL_SERVER,
    goalInFlight: GOAL_IN_FLIGHT,
    ceilingServer: ceilingServer.name,
    ceilingInFlight: Math.max(...flags.levels),
    workers: workersClient ? { client: workersClient.name, count: flags.workers } : null,
  };
}

function progress(run: CellRun): void {
  const what = run.figures ? `${Math.round(run.figures.requestsPerSec)} req/s, CPU ${run.cpuMs.toFixed(0)} ms` : `failed: ${run.failure}`;
  process.stderr.write(`round ${run.round + 1}: ${run.server} @${run.inFlight} ${run.client} ${run.seconds} s: ${what}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = parsePeerBenchFlags(argv);
  const { clients, missing, lines } = await chooseClients(flags);
  const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
  const server = spawn(process.execPath, [here('./http-echo-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const startedMs = performance.now();
  try {
    const { port } = await firstJsonLine<{ port: number }>(server);
    console.log(
      `bench:http on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ` +
        `load average ${loadavg()[0]!.toFixed(1)} at start; ${flags.rounds} rounds of ${flags.seconds} s and ` +
        `${flags.seconds * LONG_RUN_FACTOR} s per client and cell`,
    );
    for (const line of lines) console.log(line);
    const result = await runGrid(
      { servers: flags.servers, levels: flags.levels, seconds: flags.seconds, rounds: flags.rounds, clients },
      { port, serverPid: server.pid!, ticksPerSec: clockTicksPerSec(), onRun: progress },
    );
    const rows = summarizeRows(result);
    console.log(`\n${renderTable(rows, missing)}\n\n${FIGURE_NOTES}\n`);
    console.log(renderFixedCpu(fixedCpuMs(rows)));
    const cells = goalCells(flags, clients);
    console.log(`\nGoals (per-round ratios, median of ${flags.rounds}):\n${renderGoals(judgeGoals(rows, cells))}`);
    if (flags.withFloor) {
      const pipelined = clients.find((c) => c.name.startsWith(`${FLOOR_NAME} pipelining`))?.name ?? null;
      const comparisons = floorComparisons(rows, cells, FLOOR_NAME, pipelined);
      console.log(
        `\nAgainst the undici floor (CPU per request, marginal; per-round ratios, median):\n${renderFloorComparisons(comparisons)}`,
      );
    }
    console.log(
      `\nwall time ${((performance.now() - startedMs) / 1000).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(1)} at the end`,
    );
    return 0;
  } finally {
    server.kill('SIGTERM');
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof PipebenchError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = error.exitCode;
}
