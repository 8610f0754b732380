/**
 * bench:http's undici floor: what pipebench's HTTP hot path does, with nothing of pipebench around
 * it. One undici Pool (pipebench hands requests to its connections itself, ConnectionPool; undici's
 * Pool is what a user of undici writes) opened with the options pipebench opens each connection with
 * (pools.ts undiciClientOptions and undici's connector with pipebench's connect timeout), N requests kept in flight in a closed loop through
 * `Pool.dispatch` with a minimal native-interface handler (one per slot, reused), the POST body and
 * headers every bench:http client sends, for S seconds; each latency into an HDR histogram of whole
 * µs as pipebench records them. Its CPU per request is undici's (and Node's) floor under pipebench:
 * what pipebench spends above it is its own.
 *
 *   node dist/bench/undici-floor-client.js <url> <inFlight> <seconds> [pipelining]
 *
 * pipelining K (default 1, as pipebench): K requests per connection, N/K connections (rounded up).
 * Prints one JSON line (FloorOutput); exits 1 with a line on stderr when no request succeeded.
 */
import { buildConnector, Pool, type Dispatcher } from 'undici';
import { createHistogram, recordUs, type Histogram } from '../metrics/histogram.js';
import { undiciClientOptions } from '../targets/http/pools.js';
import { HTTP_DEFAULTS } from '../workload/defaults.js';
import { BODY, BODY_CONTENT_TYPE } from './peer-body.js';
import type { FloorOutput } from './peer-output.js';

/** The loop's shared state: what every slot reads and counts into. */
interface Loop {
  readonly pool: Pool;
  readonly options: Dispatcher.DispatchOptions;
  readonly latencies: Histogram;
  readonly endMs: number;
  ok: number;
  errors: number;
  inFlight: number;
  lastResponseMs: number;
  readonly drained: () => void;
}

/** One slot of the closed loop: a request in flight at a time, the next sent from the last one's completion. */
class Slot implements Dispatcher.DispatchHandler {
  private sentMs = 0;
  private statusCode = 0;

  constructor(private readonly loop: Loop) {}

  send(nowMs: number): void {
    this.sentMs = nowMs;
    this.statusCode = 0;
    this.loop.inFlight++;
    this.loop.pool.dispatch(this.loop.options, this);
  }

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode;
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    const nowMs = performance.now();
    if (this.statusCode >= 200 && this.statusCode < 300) {
      this.loop.ok++;
      recordUs(this.loop.latencies, (nowMs - this.sentMs) * 1000);
    } else {
      this.loop.errors++;
    }
    this.next(nowMs);
  }

  onError(): void {
    this.loop.errors++;
    this.next(performance.now());
  }

  private next(nowMs: number): void {
    const loop = this.loop;
    loop.inFlight--;
    loop.lastResponseMs = nowMs;
    if (nowMs < loop.endMs) this.send(nowMs);
    else if (loop.inFlight === 0) loop.drained();
  }
}

async function runFloor(url: string, inFlight: number, seconds: number, pipelining: number): Promise<FloorOutput> {
  const target = new URL(url);
  const connections = Math.ceil(inFlight / pipelining);
  const { timeouts } = HTTP_DEFAULTS;
  const pool = new Pool(target.origin, {
    ...undiciClientOptions(pipelining, timeouts),
    connections,
    connect: buildConnector({ timeout: timeouts.connectMs }),
  });
  try {
    const startMs = performance.now();
    let drained!: () => void;
    const done = new Promise<void>((resolve) => (drained = resolve));
    const loop: Loop = {
      pool,
      options: {
        method: 'POST',
        path: `${target.pathname}${target.search}`,
        headers: ['content-type', BODY_CONTENT_TYPE],
        body: BODY,
        // undici writes a POST only once the answer before it on the connection is in (not
        // idempotent, blocking): pipelining K must say the requests may go out back to back.
        ...(pipelining > 1 && { blocking: false, idempotent: true }),
      },
      latencies: createHistogram(),
      endMs: startMs + seconds * 1000,
      ok: 0,
      errors: 0,
      inFlight: 0,
      lastResponseMs: startMs,
      drained,
    };
    for (let i = 0; i < inFlight; i++) new Slot(loop).send(startMs);
    await done;
    const elapsedSec = (loop.lastResponseMs - startMs) / 1000;
    const { latencies } = loop;
    return {
      floor: true,
      requests: loop.ok,
      errors: loop.errors,
      requestsPerSec: elapsedSec > 0 ? loop.ok / elapsedSec : 0,
      meanUs: latencies.totalCount > 0 ? latencies.mean : 0,
      p50Us: latencies.getValueAtPercentile(50),
      p99Us: latencies.getValueAtPercentile(99),
      connections,
      pipelining,
    };
  } finally {
    await pool.destroy();
  }
}

function positiveInt(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`undici-floor-client: ${name} must be a whole number >= 1, got "${raw}"`);
  return value;
}

const [url, inFlightArg, secondsArg, pipeliningArg] = process.argv.slice(2);
try {
  if (url === undefined) throw new Error('usage: undici-floor-client <url> <inFlight> <seconds> [pipelining]');
  const output = await runFloor(
    url,
    positiveInt('inFlight', inFlightArg),
    positiveInt('seconds', secondsArg),
    positiveInt('pipelining', pipeliningArg ?? '1'),
  );
  if (output.requests === 0) throw new Error(`undici-floor-client: no request succeeded (${output.errors} failed)`);
  process.stdout.write(`${JSON.stringify(output)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
