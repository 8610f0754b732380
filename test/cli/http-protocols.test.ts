/**
 * `pipebench run --target` (the built CLI) against real node:http servers shaped like two services
 * met in the field: an OpenAI-compatible server that streams tokens and ends with [DONE] but never
 * sends a finish_reason, and the BetterPrompts prompt generator (FastAPI: health only at /health/,
 * the enhanced prompt cut to 4 x max_tokens characters).
 */
import type { ServerResponse } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report/run.js';
import { MISSING_FINISH_REASON } from '../../src/targets/http/protocols/openai.js';
import { startFaultServer, type FaultServer, type ReceivedRequest } from '../fixtures/http/fault-server.js';
import { runCli, type CliResult } from './cli-process.js';

const QUICK = ['--concurrency', '1', '--warmup', '1', '--no-stability', '--no-gpu'];

async function outDir(tag: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `pipebench-${tag}-`));
}

async function reportOf(dir: string): Promise<RunReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
}

function bodiesOf(server: FaultServer, url: string): Record<string, unknown>[] {
  return server.received.filter((r) => r.method === 'POST' && r.url === url).map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

describe('an OpenAI-compatible server that streams and ends with [DONE], never a finish_reason', () => {
  const TOKENS = ['Hel', 'lo', ' wor', 'ld'];
  let server: FaultServer;
  let dir: string;
  let result: CliResult;
  let report: RunReport;

  beforeAll(async () => {
    server = await startFaultServer((request, res) => {
      if (request.method === 'GET' && request.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"m","object":"model"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const text of TOKENS)
        res.write(
          `data: ${JSON.stringify({ id: 'c', object: 'text_completion', choices: [{ index: 0, text, finish_reason: null }] })}\n\n`,
        );
      res.end('data: [DONE]\n\n');
    });
    dir = await outDir('openai-nofinish');
    result = await runCli(['run', '--target', server.url, '--protocol', 'openai', '--requests', '6', ...QUICK, '--quiet', '--out', dir]);
    report = await reportOf(dir);
  }, 60_000);

  afterAll(async () => {
    await server.close();
  });

  it('with no workload file, --protocol openai runs the generate stage only', () => {
    expect(report.steps.map((step) => step.stage)).toEqual(['generate']);
    expect(bodiesOf(server, '/v1/completions').map((body) => body['model'])).toEqual(Array(7).fill('prompt-generator'));
    expect(result.code).toBe(0);
  });

  it('every streamed answer is complete (0 errors), and the missing finish_reason is one warning for the run', () => {
    const step = report.steps[0]!;
    expect(step.errors.total).toBe(0);
    expect(step.completed).toBe(6);
    // 7 responses: 1 warm-up and 6 measured, one warning line for all of them.
    expect(report.warnings.filter((w) => w.includes('finish_reason'))).toEqual([`${MISSING_FINISH_REASON} (7 responses)`]);
    expect(result.stdout.match(/finish_reason/g)).toHaveLength(1);
  });

  it('requests carry no max_tokens when --max-new-tokens is not given', () => {
    const bodies = bodiesOf(server, '/v1/completions');
    for (const body of bodies) expect(body).not.toHaveProperty('max_tokens');
    expect(bodies.length).toBeGreaterThan(0);
  });

  it('the length of the text received is reported per step, in report.json and report.md', async () => {
    const text = report.steps[0]!.outputText;
    const chars = TOKENS.join('').length;
    expect(text).toMatchObject({ items: 6, meanChars: chars, p50Chars: chars, minChars: chars, maxChars: chars });
    const markdown = await readFile(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('text chars mean');
    expect(markdown).toContain("no max_tokens sent (the server's default length)");
  });
});

/** The prompt generator's answer before its max_tokens cut (~300 characters). */
const ENHANCED = 'You are an expert. Think step by step. '.repeat(8).trim();
const MAX_CHARS_PER_TOKEN = 4;

/**
 * The BetterPrompts prompt generator as its service code behaves on loopback: GET /health/ only
 * (/health redirects there), POST /api/v1/generate answering after `delayMs`, the enhanced prompt
 * cut to 4 x max_tokens characters when max_tokens is sent; /custom answers too, for --health.
 */
function promptGenerator(delayMs: number): (request: ReceivedRequest, res: ServerResponse) => void {
  return (request, res) => {
    const json = (status: number, body: object): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && (request.url === '/health/' || request.url === '/custom')) return json(200, { status: 'healthy' });
    if (request.method === 'GET' && request.url === '/health') return void res.writeHead(307, { location: '/health/' }).end();
    if (request.method !== 'POST' || request.url !== '/api/v1/generate') return json(404, { detail: 'Not Found' });
    const asked = JSON.parse(request.body) as { text: string; max_tokens?: number };
    const enhanced = asked.max_tokens === undefined ? ENHANCED : ENHANCED.slice(0, MAX_CHARS_PER_TOKEN * asked.max_tokens);
    const answer = {
      id: 'g',
      original_text: asked.text,
      enhanced_prompt: enhanced,
      techniques_applied: ['chain_of_thought'],
      token_count: Math.ceil(enhanced.length / MAX_CHARS_PER_TOKEN),
      generation_time_ms: 11.5,
      confidence_score: 0.8,
      model_version: 'v1',
      warnings: [],
      metadata: {},
      created_at: '2026-01-01T00:00:00Z',
    };
    setTimeout(() => json(200, answer), delayMs);
  };
}

describe('the BetterPrompts prompt generator (health only at /health/, answers cut to 4 x max_tokens)', () => {
  let server: FaultServer;
  const generate = (...extra: string[]) => [
    'run',
    '--target',
    server.url,
    '--protocol',
    'betterprompts',
    '--stage',
    'generate',
    '--requests',
    '4',
    ...QUICK,
    ...extra,
  ];
  // Every GET but the one try of the target's own /metrics (server metrics are on by default).
  const healthGets = (from: number) =>
    server.received
      .slice(from)
      .filter((r) => r.method === 'GET' && r.url !== '/metrics')
      .map((r) => r.url);

  beforeAll(async () => {
    server = await startFaultServer(promptGenerator(5));
  });

  afterAll(async () => {
    await server.close();
  });

  it('the run proceeds past the missing /api/v1/health and says which route answered', async () => {
    const dir = await outDir('bp-health');
    const result = await runCli([...generate('--out', dir)]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('health check: GET /health/ answered (not there: /api/v1/health: HTTP 404, /health: HTTP 307)\n');
    const report = await reportOf(dir);
    expect(report.target.health).toEqual({ route: '/health/', passedOver: ['/api/v1/health: HTTP 404', '/health: HTTP 307'] });
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('health check GET /health/ answered');
    expect(report.steps[0]).toMatchObject({ stage: 'generate', completed: 4, errors: { total: 0 } });
  }, 60_000);

  it('no max_tokens unless --max-new-tokens: the full answer is measured; with it, the cut answer shows in the length', async () => {
    const before = server.received.length;
    const full = await outDir('bp-full');
    expect((await runCli([...generate('--quiet', '--out', full)])).code).toBe(0);
    const sent = server.received
      .slice(before)
      .filter((r) => r.method === 'POST')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(sent).toHaveLength(5);
    for (const body of sent) expect(body).not.toHaveProperty('max_tokens');
    expect((await reportOf(full)).steps[0]?.outputText).toMatchObject({ items: 4, meanChars: ENHANCED.length, maxChars: ENHANCED.length });

    const middle = server.received.length;
    const cut = await outDir('bp-cut');
    expect((await runCli([...generate('--max-new-tokens', '16', '--quiet', '--out', cut)])).code).toBe(0);
    const capped = server.received
      .slice(middle)
      .filter((r) => r.method === 'POST')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(capped.map((body) => body['max_tokens'])).toEqual(Array(5).fill(16));
    const step = (await reportOf(cut)).steps[0]!;
    expect(step.maxNewTokens).toBe(16);
    expect(step.outputText).toMatchObject({ meanChars: 64, p50Chars: 64 });
  }, 60_000);

  it('--health PATH checks only that route; --no-health sends no health request; a missing --health route exits 3', async () => {
    let from = server.received.length;
    const custom = await outDir('bp-custom');
    expect((await runCli([...generate('--health', '/custom', '--quiet', '--out', custom)])).code).toBe(0);
    expect(healthGets(from)).toEqual(['/custom']);
    expect((await reportOf(custom)).target.health).toEqual({ route: '/custom', passedOver: [] });

    from = server.received.length;
    const none = await outDir('bp-nohealth');
    expect((await runCli([...generate('--no-health', '--quiet', '--out', none)])).code).toBe(0);
    expect(healthGets(from)).toEqual([]);
    expect((await reportOf(none)).target.health).toBeNull();

    const missing = await runCli([...generate('--health', '/ready', '--out', await outDir('bp-missing'))]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(
      `pipebench: target ${server.url} answered no health check route (GET /ready: HTTP 404); give --health PATH for its route, or --no-health to skip the check\n`,
    );
  }, 90_000);
});

describe('a step its hard limit (measure.maxDuration) ends before the count it asked for', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer(promptGenerator(100));
  });

  afterAll(async () => {
    await server.close();
  });

  it('says so in a warning, and report.json carries requested, measured and what ended it', async () => {
    const dir = await outDir('cut-short');
    const workload = join(dir, 'slow.yaml');
    await writeFile(
      workload,
      `name: slow\ntarget: { url: "${server.url}", health: /health/ }\nwarmup: { requests: 0 }\n` +
        'measure: { requests: 100, maxDuration: 1s }\nstability: false\nstages: [{ stage: generate }]\n',
    );
    const result = await runCli(['run', workload, '--no-gpu', '--quiet', '--out', dir]);
    expect(result.code).toBe(0);
    const report = await reportOf(dir);
    const step = report.steps[0]!;
    // ~100 ms a request, one in flight, 1 s: about 10 of the 100 asked for, whatever the machine's load.
    expect(step).toMatchObject({ requested: 100, endedBy: 'maxDuration', complete: true });
    expect(step.measured).toBe(step.completed + step.errors.total);
    expect(step.measured).toBeGreaterThan(0);
    expect(step.measured).toBeLessThan(100);
    const warning =
      `step 0 (generate batch 1 at 1 in flight): measured ${step.measured} of the 100 items requested: ` +
      'its hard limit measure.maxDuration (1 s) ended it first; raise measure.maxDuration in the workload, ' +
      'or give a --duration longer than it as well (the hard limit then becomes 3 x that duration, at least 30 s)';
    expect(report.warnings).toContain(warning);
    expect(result.stderr).toContain(`warning: ${warning}`);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain(`${step.measured} of 100 (hard limit)`);
  }, 60_000);
});
