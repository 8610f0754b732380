import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuBusyPct, parseProcStat, readCpuTimes } from '../../src/telemetry/proc-cpu.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');

describe('/proc/stat parsing', () => {
  it('reads the aggregate cpu line of a real capture: idle and iowait are not busy, guest is not counted twice', () => {
    // cpu  1881836 574 176649 6020616 3104 0 8230 54928 0 0
    expect(parseProcStat(fixture('proc-stat.txt'))).toEqual({
      busyTicks: 1881836 + 574 + 176649 + 0 + 8230 + 54928,
      totalTicks: 1881836 + 574 + 176649 + 6020616 + 3104 + 0 + 8230 + 54928,
    });
  });

  it('gives the busy share between two real captures one second apart', () => {
    const before = parseProcStat(fixture('proc-stat.txt'))!;
    const after = parseProcStat(fixture('proc-stat-later.txt'))!;
    // later: cpu  1881837 574 176650 6020815 3104 0 8230 54929: 3 busy ticks of 202.
    expect(cpuBusyPct(before, after)).toBeCloseTo((100 * 3) / 202, 6);
  });

  it('is null when no time passed or the counters went back, and for text without a cpu line', () => {
    const times = { busyTicks: 10, totalTicks: 100 };
    expect(cpuBusyPct(times, times)).toBeNull();
    expect(cpuBusyPct(times, { busyTicks: 5, totalTicks: 200 })).toBeNull();
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
    expect(parseProcStat('cpu  a b c d\n')).toBeNull();
    expect(parseProcStat('')).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads this machine', async () => {
    const times = await readCpuTimes();
    expect(times?.totalTicks).toBeGreaterThan(times?.busyTicks ?? Infinity);
  });
});
