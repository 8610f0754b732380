import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { netBytesBetween, parseProcNetDev, readNetCounters } from '../../src/telemetry/proc-net.js';

const capture = readFileSync(new URL('../fixtures/host/proc-net-dev.txt', import.meta.url), 'utf8');

describe('/proc/net/dev parsing', () => {
  it('reads every interface of a real capture, loopback included, skipping the two header lines', () => {
    const counters = parseProcNetDev(capture);
    expect([...counters.keys()]).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(counters.get('lo')).toEqual({ rxBytes: 1365225459, txBytes: 1365225459 });
    expect(counters.get('eth0')).toEqual({ rxBytes: 1767709267, txBytes: 6140882 });
  });

  it('accepts a name glued to its first counter and skips malformed lines', () => {
    const text = 'eth1:12 1 0 0 0 0 0 0 34 1 0 0 0 0 0 0\nbad: 1 2 3\n  x: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 zz\n';
    expect([...parseProcNetDev(text)]).toEqual([['eth1', { rxBytes: 12, txBytes: 34 }]]);
    expect(parseProcNetDev('').size).toBe(0);
  });

  it('sums per-interface deltas; a vanished, new or reset interface adds nothing', () => {
    const before = new Map([
      ['lo', { rxBytes: 100, txBytes: 100 }],
      ['eth0', { rxBytes: 1000, txBytes: 50 }],
      ['veth1', { rxBytes: 5000, txBytes: 5000 }],
    ]);
    const after = new Map([
      ['lo', { rxBytes: 150, txBytes: 160 }],
      ['eth0', { rxBytes: 10, txBytes: 70 }],
      ['veth2', { rxBytes: 9000, txBytes: 9000 }],
    ]);
    expect(netBytesBetween(before, after)).toEqual({ rxBytes: 50, txBytes: 60 + 20 });
    expect(netBytesBetween(after, after)).toEqual({ rxBytes: 0, txBytes: 0 });
  });

  it.runIf(process.platform === 'linux')('reads this machine, loopback included', async () => {
    const counters = await readNetCounters();
    expect(counters?.has('lo')).toBe(true);
  });
});
