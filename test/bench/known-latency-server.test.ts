/** bench:adaptive's loopback server, run as the bench runs it (its own process from dist/). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstJsonLine } from '../../src/bench/child-rounds.js';

const SERVER = join(import.meta.dirname, '..', '..', 'dist', 'bench', 'known-latency-server.js');
let server: ReturnType<typeof spawn>;
let url: string;

beforeAll(async () => {
  server = spawn(process.execPath, [SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { port } = await firstJsonLine<{ port: number }>(server);
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.kill('SIGTERM');
});

async function post(path: string, body: string): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

describe('known-latency-server /batch: a model served in batches', () => {
  it('answers one label per text, and a call of 64 texts takes longer than a call of 1 (20 + 2 b ms, log-normal noise)', async () => {
    const one = [];
    const many = [];
    // Interleaved, so a busy moment of the machine falls on both sizes alike; medians of 5.
    for (let i = 0; i < 5; i++) {
      one.push(await post('batch', JSON.stringify({ texts: ['a'] })));
      many.push(await post('batch', JSON.stringify({ texts: Array.from({ length: 64 }, (_, k) => `t${k}`) })));
    }
    for (const answer of [...one, ...many]) expect(answer.status).toBe(200);
    expect(JSON.parse(one[0]!.text)).toEqual({ label: ['ok'] });
    expect((JSON.parse(many[0]!.text) as { label: string[] }).label).toHaveLength(64);
    const median = (answers: { ms: number }[]) => answers.map((a) => a.ms).sort((x, y) => x - y)[2]!;
    // Service medians 22 ms and 148 ms; e^(0.15 z) keeps 5 draws' median within ~x0.85-1.15 of it.
    expect(median(many)).toBeGreaterThan(148 * 0.8);
    expect(median(many) - median(one)).toBeGreaterThan((148 - 22) * 0.6);
  });

  it('refuses a body without a list of texts (400)', async () => {
    expect((await post('batch', '{"text": "a"}')).status).toBe(400);
    expect((await post('batch', 'not json')).status).toBe(400);
    expect((await post('batch', '{"texts": []}')).status).toBe(400);
  });
});
