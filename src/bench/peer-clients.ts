/**
 * The clients bench:http compares, each driven the way its users drive it: pipebench through its
 * built CLI (a one-step workload file, figures from report.json), autocannon through its CLI
 * (--json), hey and wrk from PATH (Debian packages; found or skipped with the reason). Each client
 * sends the same POST body to the same loopback URL.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  parseAutocannonOutput,
  parseFloorOutput,
  parseHeyOutput,
  parsePipebenchReport,
  parseWrkOutput,
  type ClientFigures,
} from './peer-output.js';
import { wrkScript } from './wrk-script.js';
import { BODY, BODY_CONTENT_TYPE } from './peer-body.js';

export interface BenchServer {
  /** As the table shows it: `instant`, `5ms`, `20ms`. */
  readonly name: string;
  readonly delayMs: number;
}

export interface Cell {
  readonly server: BenchServer;
  readonly inFlight: number;
  readonly seconds: number;
}

export interface ClientContext {
  readonly port: number;
  /** A folder of this client's own for the cell (pipebench's workload and reports). */
  readonly scratchDir: string;
}

export interface ClientCommand {
  readonly argv: readonly string[];
  /** The client's own figures, from its stdout (or the files it wrote) once it exited. */
  readonly figures: (stdout: string) => Promise<ClientFigures>;
}

/** The undici floor's row name (its pipelined variant adds "pipelining K"). */
export const FLOOR_NAME = 'undici (floor)';

export interface PeerClient {
  /** As the table shows it. */
  readonly name: string;
  readonly command: (cell: Cell, context: ClientContext) => Promise<ClientCommand>;
}

const PIPEBENCH_CLI = fileURLToPath(new URL('../cli/bin.js', import.meta.url));
const FLOOR_CLIENT = fileURLToPath(new URL('./undici-floor-client.js', import.meta.url));

function serverUrl(port: number, server: BenchServer): string {
  return `http://127.0.0.1:${port}${server.delayMs > 0 ? `/delay/${server.delayMs}` : '/'}`;
}

/**
 * A one-step closed-loop workload: no warm-up (no peer has one), a fixed length (stability off,
 * as the other clients run for a fixed time), unique corpus texts in the body as by default.
 */
function pipebenchWorkload(cell: Cell, port: number): string {
  return [
    'name: peerbench',
    'seed: 1',
    'warmup: { requests: 0 }',
    `measure: { duration: ${cell.seconds * 1000}ms }`,
    'stability: false',
    'target:',
    `  url: ${serverUrl(port, cell.server)}`,
    '  protocol: template',
    `  template: { method: POST, body: '{"text": {{text}}}', output: output }`,
    'stages:',
    `  - { stage: classify, batchSizes: [1], concurrency: ${cell.inFlight} }`,
    '',
  ].join('\n');
}

/** pipebench with `--workers N` when N is given (1 worker: the flag left out, its default). */
export function pipebenchClient(workers: number | null): PeerClient {
  return {
    name: workers === null ? 'pipebench' : `pipebench x${workers}`,
    async command(cell, { port, scratchDir }) {
      const workload = join(scratchDir, 'workload.yaml');
      const outDir = join(scratchDir, 'out');
      await writeFile(workload, pipebenchWorkload(cell, port));
      const workersArgs = workers === null ? [] : ['--workers', String(workers)];
      return {
        argv: [process.execPath, PIPEBENCH_CLI, 'run', workload, '--out', outDir, '--quiet', ...workersArgs],
        figures: async () => parsePipebenchReport(await readFile(join(outDir, 'report.json'), 'utf8')),
      };
    },
  };
}

/** Whether the built CLI's `run` takes --workers (a pipebench before it had the flag does not). */
export async function cliTakesWorkers(): Promise<boolean> {
  const { stdout } = await promisify(execFile)(process.execPath, [PIPEBENCH_CLI, 'run', '--help']);
  return /--workers\b/.test(stdout);
}

/**
 * undici's floor (undici-floor-client.ts): undici's Pool with pipebench's connection options and
 * dispatch, nothing of pipebench around them. pipelining K > 1 (not pipebench's default: the target then sees K requests
 * queued per connection, N/K connections, and a slow answer holds up the K - 1 behind it) asks
 * whether a pipelined dispatch would close the gap.
 */
export function undiciFloorClient(pipelining = 1): PeerClient {
  return {
    name: pipelining === 1 ? FLOOR_NAME : `${FLOOR_NAME} pipelining ${pipelining}`,
    command: async (cell, { port }) => ({
      argv: [process.execPath, FLOOR_CLIENT, serverUrl(port, cell.server), String(cell.inFlight), String(cell.seconds), String(pipelining)],
      figures: async (stdout) => parseFloorOutput(stdout),
    }),
  };
}

function autocannonClient(cliPath: string): PeerClient {
  return {
    name: 'autocannon',
    command: async (cell, { port }) => ({
      argv: [
        process.execPath,
        cliPath,
        ...['-c', String(cell.inFlight), '-d', String(cell.seconds), '-m', 'POST', '-H', `content-type=${BODY_CONTENT_TYPE}`, '-b', BODY],
        '--json',
        serverUrl(port, cell.server),
      ],
      figures: async (stdout) => parseAutocannonOutput(stdout),
    }),
  };
}

function heyClient(path: string): PeerClient {
  return {
    name: 'hey',
    command: async (cell, { port }) => ({
      argv: [
        path,
        '-z',
        `${cell.seconds}s`,
        '-c',
        String(cell.inFlight),
        '-m',
        'POST',
        '-T',
        BODY_CONTENT_TYPE,
        '-d',
        BODY,
        serverUrl(port, cell.server),
      ],
      figures: async (stdout) => parseHeyOutput(stdout),
    }),
  };
}

/** wrk on one thread (the single-thread figure, as pipebench at 1 worker); percentiles from its Lua done() hook. */
function wrkClient(path: string): PeerClient {
  return {
    name: 'wrk',
    async command(cell, { port, scratchDir }) {
      const script = join(scratchDir, 'post.lua');
      await writeFile(script, wrkScript(BODY));
      return {
        argv: [path, '-t1', '-c', String(cell.inFlight), '-d', `${cell.seconds}s`, '-s', script, serverUrl(port, cell.server)],
        figures: async (stdout) => parseWrkOutput(stdout),
      };
    },
  };
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

function autocannonCli(): string | null {
  try {
    return createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  } catch {
    return null;
  }
}

export interface FoundPeers {
  readonly found: readonly PeerClient[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** The peers asked for that are installed here; the others with why they are skipped. */
export function findPeers(names: readonly string[]): FoundPeers {
  const found: PeerClient[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of names) {
    const location = name === 'autocannon' ? autocannonCli() : onPath(name);
    if (location === null) {
      skipped.push({
        name,
        reason: name === 'autocannon' ? 'not installed (npm ci installs it)' : `not on PATH (apt-get install ${name})`,
      });
      continue;
    }
    found.push(name === 'autocannon' ? autocannonClient(location) : name === 'hey' ? heyClient(location) : wrkClient(location));
  }
  return { found, skipped };
}
