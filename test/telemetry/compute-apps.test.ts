import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComputeApps, queryComputeApps } from '../../src/telemetry/compute-apps.js';
import { FAKE_BIN_DIR, readH100 } from './fixtures.js';

const MiB = 1024 * 1024;

describe('parseComputeApps', () => {
  it('reads the real recording (header and units) and marks our own pids', () => {
    const csv = readH100('compute-apps.csv').split('\n').slice(0, 2).join('\n');
    expect(parseComputeApps(csv, new Set([450]))).toEqual([{ pid: 450, processName: 'python3', usedMemBytes: 1332 * MiB, own: true }]);
  });

  it('reads noheader,nounits lines, [N/A] memory and nothing at all', () => {
    expect(parseComputeApps('12, /usr/bin/node, 2048\n13, python, [N/A]\n', new Set([13]))).toEqual([
      { pid: 12, processName: '/usr/bin/node', usedMemBytes: 2048 * MiB, own: false },
      { pid: 13, processName: 'python', usedMemBytes: null, own: true },
    ]);
    expect(parseComputeApps('', new Set())).toEqual([]);
  });
});

describe('queryComputeApps', () => {
  it('runs nvidia-smi and sums our own footprint', async () => {
    const env = { ...process.env, PATH: `${join(FAKE_BIN_DIR, 'ok')}:/usr/bin:/bin` };
    const result = await queryComputeApps({ env, ownPids: [450] });
    expect(result.kind === 'ok' && result.ownMemBytes).toBe(1332 * MiB);
    const others = await queryComputeApps({ env });
    expect(others).toMatchObject({ kind: 'ok', ownMemBytes: null }); // listed, but not ours
  });

  it('says why when nvidia-smi is missing', async () => {
    const result = await queryComputeApps({ env: { ...process.env, PATH: join(FAKE_BIN_DIR, 'missing') } });
    expect(result).toMatchObject({ kind: 'unavailable', reason: 'nvidia-smi not found on PATH' });
  });
});
