/** Triton's model-control calls against a node:http server on 127.0.0.1 that answers as Triton's HTTP API does. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFreePort } from '../../../../src/targets/http/server-launch/free-port.js';
import { loadModel, TritonModelError, unloadModel, untilModelReady } from '../../../../src/targets/http/triton/model-control.js';

let server: Server;
let url: string;
let dir: string;
const bodies: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipebench-triton-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.statusCode = req.url?.startsWith('/v2/repository/models/bad/') ? 400 : req.url === '/v2/models/slow/ready' ? 400 : 200;
      res.end(
        res.statusCode === 400 && req.method === 'POST' ? JSON.stringify({ error: "failed to load 'bad', no version is available" }) : '',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('Triton model control', () => {
  it('sends the config as a JSON string in parameters.config, as the repository extension defines the load', async () => {
    await loadModel({ url, model: 'intent' }, { max_batch_size: 8 }, join(dir, 'ok.log'));
    expect(JSON.parse(bodies.at(-1)!)).toEqual({ parameters: { config: '{"max_batch_size":8}' } });
    await untilModelReady({ url, model: 'intent' }, 1000, join(dir, 'ok.log'));
    expect(await readFile(join(dir, 'ok.log'), 'utf8')).toMatch(
      /^POST .*\/v2\/repository\/models\/intent\/load\n.*\n-> 200: \nGET .*\/v2\/models\/intent\/ready -> 200\n$/,
    );
  });

  it("a refused load throws with Triton's error text and the status", async () => {
    const error = await loadModel({ url, model: 'bad' }, {}, join(dir, 'bad.log')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TritonModelError);
    expect((error as TritonModelError).reason).toBe("Triton refused to load bad (400): failed to load 'bad', no version is available");
    expect(await unloadModel({ url, model: 'bad' })).toBe("Triton did not unload bad (400): failed to load 'bad', no version is available");
  });

  it('a model that never answers ready fails within the bound, naming the model and the last answer', async () => {
    const startedMs = performance.now();
    const error = await untilModelReady({ url, model: 'slow' }, 400, join(dir, 'slow.log')).catch((e: unknown) => e);
    expect((error as TritonModelError).reason).toBe(
      `model slow not ready: ${url}/v2/models/slow/ready did not answer 200 within 400 ms (last: HTTP 400)`,
    );
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(400);
    const closedPort = await pickFreePort();
    const closed = await untilModelReady({ url: `http://127.0.0.1:${closedPort}`, model: 'm' }, 200, join(dir, 'closed.log')).catch(
      (e: unknown) => e,
    );
    expect((closed as TritonModelError).reason).toMatch(/within 200 ms \(last: ECONNREFUSED\)$/);
  });
});
