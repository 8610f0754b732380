/**
 * bench:http's flags, resolved once into a typed plan; a bad value is an InputError naming the
 * flag and what was expected. Defaults: the full comparison (three servers, 1/16/64 in flight,
 * the undici floor and every peer, 2 rounds, each client running each cell for 1 s and 3 s).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import type { BenchServer } from './peer-clients.js';

const PEER_NAMES = ['autocannon', 'hey', 'wrk'] as const;
/** The undici floor client's name in --clients (undici-floor-client.ts). */
const FLOOR = 'undici';

export interface PeerBenchFlags {
  readonly servers: readonly BenchServer[];
  readonly levels: readonly number[];
  /** pipebench (when asked for) and the peers asked for, in that order. */
  readonly withPipebench: boolean;
  readonly peers: readonly string[];
  /** The undici floor row (undici-floor-client.ts). */
  readonly withFloor: boolean;
  /** K > 1: a second floor row with K requests per connection (N/K connections); 1: none. */
  readonly floorPipelining: number;
  readonly rounds: number;
  /** S: each client runs each cell for S and 3S seconds (peer-grid.ts). */
  readonly seconds: number;
  /** N for the N-worker rows; 1 runs none. */
  readonly workers: number;
}

function list(flag: string, raw: string): string[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InputError(`--${flag}`, `expected a comma-separated list, got "${raw}"`);
  return items;
}

function positiveInt(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InputError(`--${flag}`, `expected a whole number >= 1, got "${raw}"`);
  return value;
}

function server(raw: string): BenchServer {
  if (raw === 'instant') return { name: raw, delayMs: 0 };
  const match = /^(\d+)ms$/.exec(raw);
  if (!match || Number(match[1]) < 1) throw new InputError('--servers', `expected instant or a service time such as 5ms, got "${raw}"`);
  return { name: raw, delayMs: Number(match[1]) };
}

export function parsePeerBenchFlags(argv: readonly string[]): PeerBenchFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        servers: { type: 'string', default: 'instant,5ms,20ms' },
        levels: { type: 'string', default: '1,16,64' },
        clients: { type: 'string', default: ['pipebench', FLOOR, ...PEER_NAMES].join(',') },
        pipelining: { type: 'string', default: '1' },
        rounds: { type: 'string', default: '2' },
        seconds: { type: 'string', default: '1' },
        workers: { type: 'string', default: String(Math.max(2, availableParallelism() - 1)) },
      },
    }));
  } catch (error) {
    throw new InputError('bench:http', (error as Error).message.split('\n')[0] ?? 'bad flags');
  }
  const clients = list('clients', values.clients);
  const unknown = clients.filter((c) => c !== 'pipebench' && c !== FLOOR && !(PEER_NAMES as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw new InputError('--clients', `unknown ${unknown.join(', ')} (pipebench, ${FLOOR}, ${PEER_NAMES.join(', ')})`);
  const floorPipelining = positiveInt('pipelining', values.pipelining);
  if (floorPipelining > 1 && !clients.includes(FLOOR))
    throw new InputError('--pipelining', `pipelines the ${FLOOR} floor client only; add ${FLOOR} to --clients`);
  return {
    servers: list('servers', values.servers).map(server),
    levels: list('levels', values.levels).map((level) => positiveInt('levels', level)),
    withPipebench: clients.includes('pipebench'),
    peers: clients.filter((c) => c !== 'pipebench' && c !== FLOOR),
    withFloor: clients.includes(FLOOR),
    floorPipelining,
    rounds: positiveInt('rounds', values.rounds),
    seconds: positiveInt('seconds', values.seconds),
    workers: positiveInt('workers', values.workers),
  };
}
