/** The marginal CPU per request: a pair of runs' extra CPU over their extra requests, and the intercept. */
import { describe, expect, it } from 'vitest';
import { marginalCpu } from '../../src/bench/marginal-cpu.js';

describe('marginalCpu', () => {
  it('takes the slope between the runs, so a start-up both runs paid cancels', () => {
    // 3,000 ms of start-up in both; 50 µs per request on top.
    const short = { cpuMs: 3000 + 2000 * 0.05, requests: 2000 };
    const long = { cpuMs: 3000 + 6000 * 0.05, requests: 6000 };
    const marginal = marginalCpu(short, long)!;
    expect(marginal.usPerRequest).toBeCloseTo(50, 9);
    expect(marginal.fixedMs).toBeCloseTo(3000, 9);
  });

  it('gives the same slope whatever the start-up was, and an intercept that follows it', () => {
    const withStartup = (startupMs: number) =>
      marginalCpu({ cpuMs: startupMs + 120, requests: 1500 }, { cpuMs: startupMs + 360, requests: 4500 })!;
    expect(withStartup(400).usPerRequest).toBeCloseTo(80, 9);
    expect(withStartup(4000).usPerRequest).toBeCloseTo(80, 9);
    expect(withStartup(4000).fixedMs - withStartup(400).fixedMs).toBeCloseTo(3600, 9);
  });

  it('reports noise as it is: a longer run that cost less CPU gives a negative slope', () => {
    expect(marginalCpu({ cpuMs: 1000, requests: 100 }, { cpuMs: 990, requests: 300 })!.usPerRequest).toBeCloseTo(-50, 9);
  });

  it('has no slope when the longer run finished no more requests (or fewer)', () => {
    expect(marginalCpu({ cpuMs: 1000, requests: 500 }, { cpuMs: 1200, requests: 500 })).toBeNull();
    expect(marginalCpu({ cpuMs: 1000, requests: 500 }, { cpuMs: 1200, requests: 400 })).toBeNull();
  });
});
