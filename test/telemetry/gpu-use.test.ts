import { describe, expect, it } from 'vitest';
import type { ComputeAppsResult } from '../../src/core/report/telemetry.js';
import { summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import { CONTEXT_MEM_BYTES, isLocalUrl, modelGpuNotes, modelGpuUse, type ModelPlacement } from '../../src/telemetry/gpu-use.js';
import { parseH100Trace, utc } from './fixtures.js';

const MiB = 1024 * 1024;
const wasm: ModelPlacement = { target: { kind: 'inprocess', url: null }, backend: { name: 'wasm', gpu: false } };
const tfGpu: ModelPlacement = { target: { kind: 'inprocess', url: null }, backend: { name: 'tensorflow', gpu: true } };
const http = (url: string): ModelPlacement => ({ target: { kind: 'http', url }, backend: null, hostname: 'bench-host' });
const list = (...apps: { pid: number; processName: string; own: boolean }[]): ComputeAppsResult => ({
  kind: 'ok',
  atMs: 0,
  apps: apps.map((app) => ({ ...app, usedMemBytes: 500 * MiB })),
  ownMemBytes: null,
});
const idleMem = { memUsedPeakBytes: 2 * MiB };

describe('isLocalUrl', () => {
  it('loopback names and addresses, and the host by its own name, are this host', () => {
    for (const url of [
      'http://127.0.0.1:8000',
      'http://localhost/x',
      'http://[::1]:9',
      'http://127.3.2.1',
      'http://BENCH-HOST:80',
      'http://api.localhost',
    ]) {
      expect(isLocalUrl(url, 'bench-host'), url).toBe(true);
    }
  });

  it('another host, or a URL that does not parse, is not', () => {
    for (const url of ['http://10.0.0.5:8000', 'https://api.example.com', 'http://128.0.0.1', 'not a url'])
      expect(isLocalUrl(url, 'bench-host'), url).toBe(false);
  });
});

describe('modelGpuUse', () => {
  it('in process the backend decides: wasm and tensorflow-cpu do not use the GPU, a GPU backend does', () => {
    expect(modelGpuUse(wasm, idleMem, [])).toEqual({ kind: 'not-used', basis: 'backend', why: 'backend wasm' });
    expect(modelGpuUse({ ...wasm, backend: { name: 'tensorflow', gpu: false } }, idleMem, []).kind).toBe('not-used');
    expect(modelGpuUse(tfGpu, idleMem, [])).toEqual({ kind: 'used', basis: 'backend', why: 'backend tensorflow on the GPU' });
  });

  it("a server on another host never uses this host's GPU", () => {
    expect(
      modelGpuUse(http('http://gpu-node.example:8000'), { memUsedPeakBytes: 40_000 * MiB }, [
        list({ pid: 7, processName: 'python', own: false }),
      ]),
    ).toEqual({
      kind: 'not-used',
      basis: 'server-host',
      why: 'the server gpu-node.example:8000 is not on this host',
    });
  });

  it('a server on this host: the process list says so when it lists nothing and the GPU holds no context', () => {
    const local = http('http://127.0.0.1:8000');
    expect(modelGpuUse(local, idleMem, [list(), list()]).kind).toBe('not-used');
    expect(modelGpuUse(local, { memUsedPeakBytes: null }, [list()]).kind).toBe('not-used');
    // Our own harness on the list is not the server.
    expect(modelGpuUse(local, idleMem, [list({ pid: 1, processName: 'node', own: true })]).kind).toBe('not-used');
  });

  it('a server on this host may use it: another process on the list, memory in use with an empty list, or no list', () => {
    const local = http('http://localhost:8000');
    expect(modelGpuUse(local, idleMem, [list({ pid: 4242, processName: 'tritonserver', own: false })])).toMatchObject({
      kind: 'possible',
      why: 'the server is on this host and tritonserver (pid 4242) ran on a GPU',
    });
    expect(modelGpuUse(local, { memUsedPeakBytes: CONTEXT_MEM_BYTES + 1 }, [list()])).toMatchObject({ kind: 'possible' });
    expect(modelGpuUse(local, { memUsedPeakBytes: CONTEXT_MEM_BYTES }, [list()])).toMatchObject({ kind: 'not-used' });
    expect(modelGpuUse(local, idleMem, [null, { kind: 'unavailable', atMs: 0, reason: 'nvidia-smi timed out' }])).toMatchObject({
      kind: 'possible',
    });
  });
});

describe('modelGpuNotes on the real H100 trace', () => {
  const trace = parseH100Trace();
  // Batch 1 on the H100: a kernel ran a small share of the step; with items queued 40 ms that reads as the host holding the GPU back.
  const batchOne = summarizeGpuWindow(trace, utc('2026-11-26T18:49:00.1'), utc('2026-11-26T18:49:02.0'), { queueMsMean: 40 });

  it('a wasm run gets "not used by the model", never the host-side note', () => {
    expect(modelGpuNotes(batchOne, wasm, [])).toEqual(['GPU 0: not used by the model (backend wasm)']);
  });

  it('a GPU backend, or no placement (a trace on its own), keeps the host-side note', () => {
    expect(modelGpuNotes(batchOne, tfGpu, [])[0]).toMatch(/^GPU 0 ran a kernel only \d+ % of the step while items waited 40\.0 ms/);
    expect(modelGpuNotes(batchOne, null, [])[0]).toMatch(/^GPU 0 ran a kernel only/);
  });
});
