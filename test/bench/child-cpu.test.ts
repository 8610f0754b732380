/** bench:http's CPU measure of a client process, on real child processes. */
import { describe, expect, it } from 'vitest';
import { clockTicksPerSec, runMeasured, waitedChildrenTicks } from '../../src/bench/child-cpu.js';

/** Busy for ~400 ms of CPU, then prints its own CPU since it started (user + system, ms). */
const BUSY = `const until = process.cpuUsage().user + 400_000; while (process.cpuUsage().user < until);
const { user, system } = process.cpuUsage(); console.log(JSON.stringify({ cpuMs: (user + system) / 1000 }));`;

describe('runMeasured', () => {
  it("measures the whole child's CPU, as the child itself counts it, and leaves its stdout its own", async () => {
    const ticksPerSec = clockTicksPerSec();
    const child = await runMeasured([process.execPath, '-e', BUSY], { ticksPerSec });
    expect(child.exitCode).toBe(0);
    const own = JSON.parse(child.stdout) as { cpuMs: number };
    expect(own.cpuMs).toBeGreaterThanOrEqual(400);
    // /proc counts in clock ticks (10 ms at 100 Hz), and the child's exit comes after its own figure.
    const tickMs = 1000 / ticksPerSec;
    expect(child.cpuMs).toBeGreaterThanOrEqual(own.cpuMs - 2 * tickMs);
    expect(child.cpuMs).toBeLessThanOrEqual(own.cpuMs + 150);
    expect(child.wallMs).toBeGreaterThanOrEqual(child.cpuMs * 0.5);
  });

  it("passes the client's exit code and stderr through", async () => {
    const child = await runMeasured([process.execPath, '-e', 'console.error("no server"); process.exit(3)'], {
      ticksPerSec: clockTicksPerSec(),
    });
    expect(child.exitCode).toBe(3);
    expect(child.stderr.trim()).toBe('no server');
    expect(child.stdout).toBe('');
  });
});

describe('waitedChildrenTicks', () => {
  it('reads cutime + cstime past a process name holding spaces and parentheses', () => {
    const line = '4242 (my (odd) name) S 1 4242 4242 0 -1 4194304 92 2877 0 2 7 3 184 6 20 0 1 0 2273580 2654208 363';
    expect(waitedChildrenTicks(line)).toBe(190);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => waitedChildrenTicks('hello')).toThrow('not a /proc/<pid>/stat line');
  });
});
