/**
 * Each bench:http client's own figures, read from what it prints: hey's text summary, the JSON
 * line bench:http's wrk script prints when done (wrk-script.ts), autocannon's --json result
 * object, pipebench's report.json. Pure functions of the text, so they are tested against output
 * captured from the real clients (test/fixtures/bench/).
 */

/** One client's figures for one cell, in its own resolution (hey: 0.1 ms; autocannon: whole ms; wrk and pipebench: µs). */
export interface ClientFigures {
  /** Successful (2xx) responses. */
  readonly requests: number;
  /** Failed requests and non-2xx responses. */
  readonly errors: number;
  readonly requestsPerSec: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

function secsToUs(match: RegExpExecArray | null, what: string): number {
  if (!match) throw new Error(`hey output has no ${what}`);
  return Number(match[1]) * 1e6;
}

export function parseHeyOutput(output: string): ClientFigures {
  let requests = 0;
  let errors = 0;
  for (const [, code, count] of output.matchAll(/^\s*\[(\d{3})\]\s+(\d+) responses$/gm)) {
    if (code!.startsWith('2')) requests += Number(count);
    else errors += Number(count);
  }
  const errorSection = output.split('Error distribution:')[1] ?? '';
  for (const [, count] of errorSection.matchAll(/^\s*\[(\d+)\]\s/gm)) errors += Number(count);
  if (requests === 0) {
    const firstError = /^\s*\[\d+\]\s+(.*)$/m.exec(errorSection)?.[1];
    throw new Error(`hey got no successful response${firstError ? `: ${firstError}` : ''}`);
  }
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!rate) throw new Error('hey output has no Requests/sec');
  return {
    requests,
    errors,
    requestsPerSec: Number(rate[1]),
    meanUs: secsToUs(/Average:\s+([\d.]+) secs/.exec(output), 'Average'),
    p50Us: secsToUs(/50% in ([\d.]+) secs/.exec(output), '50% latency'),
    p99Us: secsToUs(/99% in ([\d.]+) secs/.exec(output), '99% latency'),
  };
}

interface WrkDone {
  readonly requests: number;
  readonly durationUs: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly errors: number;
}

export function parseWrkOutput(output: string): ClientFigures {
  const line = /^\{"wrkDone":true.*\}$/m.exec(output)?.[0];
  if (!line) throw new Error(`wrk printed no summary line (${output.trim().split('\n')[0] ?? 'no output'})`);
  const done = JSON.parse(line) as WrkDone;
  if (done.requests === 0) throw new Error('wrk completed no request');
  return {
    // wrk counts non-2xx answers among its requests and again as status errors.
    requests: done.requests - done.errors,
    errors: done.errors,
    requestsPerSec: done.requests / (done.durationUs / 1e6),
    meanUs: done.meanUs,
    p50Us: done.p50Us,
    p99Us: done.p99Us,
  };
}

interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
  readonly latency: { readonly mean: number; readonly p50: number; readonly p99: number };
  readonly requests: { readonly total: number };
}

/** autocannon --json: its result object (latencies in whole milliseconds, duration in seconds). */
export function parseAutocannonOutput(output: string): ClientFigures {
  const line = output
    .trim()
    .split('\n')
    .findLast((candidate) => candidate.startsWith('{'));
  if (!line) throw new Error('autocannon printed no JSON result');
  const result = JSON.parse(line) as AutocannonResult;
  if (result['2xx'] === 0) throw new Error(`autocannon got no successful response (${result.errors} errors)`);
  return {
    requests: result['2xx'],
    errors: result.errors + result.timeouts + result.non2xx,
    requestsPerSec: result.requests.total / result.duration,
    meanUs: result.latency.mean * 1000,
    p50Us: result.latency.p50 * 1000,
    p99Us: result.latency.p99 * 1000,
  };
}

interface PipebenchStep {
  readonly completed: number;
  readonly errors: { readonly total: number };
  readonly throughput: { readonly itemsPerSec: number };
  readonly latencyMs: { readonly e2e?: { readonly mean: number; readonly p50: number; readonly p99: number } };
}

/** pipebench's report.json of a one-step run: that step's own figures. */
export function parsePipebenchReport(reportJson: string): ClientFigures {
  const step = (JSON.parse(reportJson) as { steps: readonly PipebenchStep[] }).steps[0];
  const e2e = step?.latencyMs.e2e;
  if (!step || !e2e || step.completed === 0) throw new Error('pipebench report.json has no completed step');
  return {
    requests: step.completed,
    errors: step.errors.total,
    requestsPerSec: step.throughput.itemsPerSec,
    meanUs: e2e.mean * 1000,
    p50Us: e2e.p50 * 1000,
    p99Us: e2e.p99 * 1000,
  };
}

/** The JSON line the undici floor client (undici-floor-client.ts) prints: its figures (requests: 2xx answers; µs), and how it connected. */
export interface FloorOutput extends ClientFigures {
  readonly floor: true;
  readonly connections: number;
  readonly pipelining: number;
}

export function parseFloorOutput(output: string): ClientFigures {
  const line = /^\{"floor":true.*\}$/m.exec(output)?.[0];
  if (!line) throw new Error(`the undici floor client printed no result line (${output.trim().split('\n')[0] || 'no output'})`);
  const { requests, errors, requestsPerSec, meanUs, p50Us, p99Us } = JSON.parse(line) as FloorOutput;
  if (requests === 0) throw new Error('the undici floor client completed no request');
  return { requests, errors, requestsPerSec, meanUs, p50Us, p99Us };
}
