/**
 * A secret never leaves pipebench. Each test plants a unique secret where a user configures one,
 * runs the built CLI against a real node:http server on 127.0.0.1 that echoes it back (in 4xx,
 * 5xx and malformed 2xx bodies, in every spelling a server may use), then looks for every spelling
 * of it in stdout, stderr and every file the run wrote (report.json/md/html, steps.csv, junit.xml,
 * the JSONL stream). One test per leak path of issue 12.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultHandler, type FaultServer } from '../fixtures/http/fault-server.js';
import { leaksIn, spellingsOf } from '../fixtures/http/secret-spellings.js';
import { runCli, type CliResult } from './cli-process.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The first request the run sent to the target's API (a run also tries the target's own /metrics once, with no credentials). */
function firstSent(server: FaultServer): FaultServer['received'][number] {
  const sent = server.received.find((request) => request.url !== '/metrics');
  if (sent === undefined) throw new Error('the run sent the server no request');
  return sent;
}

async function serve(handler: FaultHandler): Promise<FaultServer> {
  const server = await startFaultServer(handler);
  servers.push(server);
  return server;
}

const unique = (): string => randomBytes(4).toString('hex');

interface Outputs {
  readonly result: CliResult;
  /** name -> text: "stdout", "stderr", then each file the run wrote. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Runs `pipebench run <workload>` with a few requests and every output on, and reads everything it printed and wrote. */
async function runWorkload(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<Outputs> {
  const dir = await mkdtemp(join(tmpdir(), 'pipebench-secrets-'));
  const workload = join(dir, 'workload.yaml');
  await writeFile(workload, yaml);
  const out = join(dir, 'out');
  const result = await runCli(
    [
      'run',
      workload,
      '--no-gpu',
      '--no-stability',
      '--requests',
      '4',
      '--warmup',
      '0',
      '--out',
      out,
      '--out-jsonl',
      join(out, 'run.jsonl'),
    ],
    env,
  );
  return { result, texts: await textsOf(result, out) };
}

async function textsOf(result: CliResult, out: string): Promise<Map<string, string>> {
  const texts = new Map([
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ]);
  const files = await readdir(out).catch(() => [] as string[]);
  for (const file of files) texts.set(file, await readFile(join(out, file), 'utf8'));
  return texts;
}

/** Every output that holds any spelling of `secret` (or, with `windowChars`, a raw piece that long), with what it holds. */
function leaks(texts: ReadonlyMap<string, string>, secret: string, windowChars?: number): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, text] of texts) {
    const here = leaksIn(text, secret, windowChars);
    if (here.length > 0) found[name] = here;
  }
  return found;
}

function workloadFor(url: string, targetLines: string): string {
  return `name: secrets\ntarget:\n  url: ${url}\n  health: false\n${targetLines}\nstages:\n  - stage: classify\n    concurrency: [1]\n`;
}

describe('secrets the server echoes never reach stdout, stderr or a report', () => {
  it('a literal header value under any name (X-Auth-Token), echoed in 401, 429, 500 and malformed 200 bodies in every spelling', async () => {
    // Quotes, backslash, slash, &, <, >, apostrophe, plus, percent and a space: each spelling differs.
    const secret = `t0k-${unique()} "q"\\/&<i>'+%`;
    const spelled = spellingsOf(secret);
    const joined = (names: readonly string[]): string => names.map((name) => `[${spelled[name]}]`).join(' ');
    // Each class's first body is quoted up to 200 characters: the spellings are spread so every one falls inside.
    const bodies: readonly (readonly [number, string])[] = [
      [401, `bad ${joined(['raw', 'json', 'json ascii', 'json with \\/', 'json twice'])}`],
      [429, `slow ${joined(['percent', 'percent lower-case', 'form'])}`],
      [500, `<p>${joined(['html', 'json in html', 'json in a script block'])}</p>`],
      [200, `oops ${joined(['json in a data: URI', 'base64', 'base64url'])}`],
    ];
    for (const [, body] of bodies) expect(body.length).toBeLessThan(180);
    let answered = 0;
    const server = await serve((_request, res) => {
      const [status, body] = bodies[answered++ % bodies.length]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
    const { result, texts } = await runWorkload(workloadFor(server.url, `  headers:\n    X-Auth-Token: ${JSON.stringify(secret)}`));
    expect(firstSent(server).headers['x-auth-token']).toBe(secret);
    expect([...texts.keys()]).toEqual(
      expect.arrayContaining(['report.json', 'report.md', 'report.html', 'steps.csv', 'junit.xml', 'run.jsonl']),
    );
    expect(leaks(texts, secret)).toEqual({});
    // Every class's first error was quoted (redacted), so each spelling had its chance to leak.
    for (const errorClass of ['http_4xx', 'http_429', 'http_5xx', 'malformed_body']) {
      expect(result.stdout).toMatch(new RegExp(`first ${errorClass} error: .*<redacted>`));
    }
  }, 90_000);

  it('a 330-character bearer token echoed in a 401 body: redacted whole before the quote is cut, no piece of it shows', async () => {
    const token = `${unique()}${randomBytes(256).toString('base64url')}`.slice(0, 330);
    expect(token).toHaveLength(330);
    const server = await serve((request, res) => {
      res.writeHead(401).end(`{"error":"invalid_token","received":${JSON.stringify(request.headers.authorization)}}`);
    });
    const { result, texts } = await runWorkload(workloadFor(server.url, '  auth: { bearerTokenEnv: PB_TOKEN }'), { PB_TOKEN: token });
    expect(firstSent(server).headers.authorization).toBe(`Bearer ${token}`);
    expect(leaks(texts, token, 12)).toEqual({});
    expect(result.stdout).toContain('first http_4xx error: HTTP 401: {"error":"invalid_token","received":"Bearer <redacted>"}');
  }, 90_000);

  it('a secret from the environment that the server echoes JSON-escaped (KEY\\with"quote -> KEY\\\\with\\"quote)', async () => {
    const key = `KEY\\with"quote-${unique()}`;
    const server = await serve((request, res) => {
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: `unknown key ${String(request.headers['x-api-key'])}` }));
    });
    const { result, texts } = await runWorkload(workloadFor(server.url, '  headers:\n    X-Api-Key: { env: PB_KEY }'), { PB_KEY: key });
    expect(firstSent(server).headers['x-api-key']).toBe(key);
    expect(leaks(texts, key)).toEqual({});
    expect(result.stdout).toContain('first http_4xx error: HTTP 403: {"detail":"unknown key <redacted>"}');
  }, 90_000);

  it("a login password echoed in the login route's 401 body (JSON-escaped, and as Basic auth's base64 of user:password)", async () => {
    const password = `Pa"ss\\w0rd-${unique()}`;
    const server = await serve((request, res) => {
      const basic = Buffer.from(`bob:${password}`).toString('base64');
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(`{"error":"bad credentials","got":${request.body},"basic":"${basic}"}`);
    });
    const yaml = workloadFor(server.url, '  auth: { login: { url: /api/v1/auth/login, usernameEnv: PB_USER, passwordEnv: PB_PASS } }');
    const { result, texts } = await runWorkload(yaml, { PB_USER: 'bob', PB_PASS: password });
    expect(JSON.parse(firstSent(server).body)).toEqual({ email_or_username: 'bob', password });
    expect(leaks(texts, password)).toEqual({});
    expect(leaks(texts, `bob:${password}`)).toEqual({});
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `login at ${server.url}/api/v1/auth/login failed: HTTP 401: {"error":"bad credentials","got":{"email_or_username":"bob","password":"<redacted>"},"basic":"<redacted>"}`,
    );
  }, 90_000);
});

describe('credentials in a URL never reach the error that refuses it', () => {
  it.each([
    ['--target with a port out of range', (pw: string) => ['--target', `http://bob:${pw}@127.0.0.1:99999`], '--target'],
    ['--target with an unclosed IPv6 bracket', (pw: string) => ['--target', `http://bob:${pw}@[::1`], '--target'],
  ])(
    '%s',
    async (_case, flags, where) => {
      const password = `pw-${unique()}`;
      const result = await runCli(['run', ...flags(password), '--stage', 'classify', '--no-gpu']);
      expect(
        leaks(
          new Map([
            ['stdout', result.stdout],
            ['stderr', result.stderr],
          ]),
          password,
        ),
      ).toEqual({});
      expect(result.stderr).not.toContain('bob');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^pipebench: ${where}: expected an http:// or https:// URL .*, got "http://\\*\\*\\*@`));
    },
    60_000,
  );

  it('target.health: "http://bob:pw@127.0.0.1:18080/h" in a workload', async () => {
    const password = `pw-${unique()}`;
    const dir = await mkdtemp(join(tmpdir(), 'pipebench-secrets-url-'));
    const workload = join(dir, 'workload.yaml');
    await writeFile(workload, `name: secrets\ntarget:\n  url: http://127.0.0.1:9\n  health: "http://bob:${password}@127.0.0.1:18080/h"\n`);
    const result = await runCli(['run', workload, '--no-gpu']);
    expect(
      leaks(
        new Map([
          ['stdout', result.stdout],
          ['stderr', result.stderr],
        ]),
        password,
      ),
    ).toEqual({});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `pipebench: ${workload}: target.health: expected a URL without credentials (use target.auth or target.headers with { env: NAME }), got credentials in http://127.0.0.1:18080/h\n`,
    );
  }, 60_000);
});
