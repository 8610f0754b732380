/** The peers' output parsers, against output captured from the real clients here (test/fixtures/bench/README.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAutocannonOutput, parseHeyOutput, parsePipebenchReport, parseWrkOutput } from '../../src/bench/peer-output.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bench', name), 'utf8');

describe('parseHeyOutput', () => {
  it("reads hey's summary: 2xx responses, its Requests/sec, Average and the 50 % and 99 % lines, in µs", () => {
    expect(parseHeyOutput(fixture('hey-16-delay5.txt'))).toEqual({
      requests: 4606,
      errors: 0,
      requestsPerSec: 2288.8452,
      meanUs: 6800,
      p50Us: 6300,
      p99Us: 12800,
    });
  });

  it('names the first error when hey got no successful response', () => {
    expect(() => parseHeyOutput(fixture('hey-refused.txt'))).toThrow(/no successful response: Post .*connection refused/);
  });
});

describe('parseWrkOutput', () => {
  it("reads the line bench:http's Lua done() hook prints, the rate over wrk's own duration", () => {
    const figures = parseWrkOutput(fixture('wrk-16-delay5.txt'));
    expect(figures).toEqual({ requests: 5564, errors: 0, requestsPerSec: 5564 / 2.006031, meanUs: 5720.58, p50Us: 5710, p99Us: 10678 });
    // The same rate wrk prints in its text summary.
    expect(figures.requestsPerSec).toBeCloseTo(2773.64, 0);
  });

  it("quotes wrk's own first line when it printed no summary", () => {
    expect(() => parseWrkOutput(fixture('wrk-refused.txt'))).toThrow(
      'wrk printed no summary line (unable to connect to 127.0.0.1:9 Connection refused)',
    );
  });
});

describe('parseAutocannonOutput', () => {
  it('reads the --json result object: 2xx, all responses over its duration, latencies from ms to µs', () => {
    expect(parseAutocannonOutput(fixture('autocannon-16-delay5.json'))).toEqual({
      requests: 5150,
      errors: 0,
      requestsPerSec: 5150 / 2.06,
      meanUs: 5800,
      p50Us: 5000,
      p99Us: 11000,
    });
  });

  it('refuses output without a result object', () => {
    expect(() => parseAutocannonOutput('Running 1s test @ http://127.0.0.1:1/\n')).toThrow('autocannon printed no JSON result');
  });
});

describe('parsePipebenchReport', () => {
  it("reads the step's own figures from report.json", () => {
    const report = JSON.parse(fixture('pipebench-16-delay5.report.json')) as {
      steps: { completed: number; throughput: { itemsPerSec: number }; latencyMs: { e2e: { mean: number; p50: number; p99: number } } }[];
    };
    const step = report.steps[0]!;
    expect(parsePipebenchReport(fixture('pipebench-16-delay5.report.json'))).toEqual({
      requests: step.completed,
      errors: 0,
      requestsPerSec: step.throughput.itemsPerSec,
      meanUs: step.latencyMs.e2e.mean * 1000,
      p50Us: step.latencyMs.e2e.p50 * 1000,
      p99Us: step.latencyMs.e2e.p99 * 1000,
    });
    expect(step.completed).toBeGreaterThan(1000);
  });

  it('refuses a report without a completed step', () => {
    expect(() => parsePipebenchReport(JSON.stringify({ steps: [] }))).toThrow('pipebench report.json has no completed step');
  });
});
