/**
 * What the CLI loads and starts before it measures anything: help loads no command's action (no
 * runner, reports, zod, undici, Vega); a run of an HTTP target without /metrics starts no scraping
 * worker thread and, on Linux, no systeminformation. Observed in the real built CLI through a
 * module hook (node --import) that lists every module loaded and every worker thread started.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'pipebench-startup-'));

/** Written once: a module hook that lists every module loaded, and a main-thread watch of workers and CommonJS modules. */
function writeWatchers(): { modules: string; threads: string } {
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.STARTUP_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  const modules = join(dir, 'modules.mjs');
  writeFileSync(modules, `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  // Without module hooks (their own thread would count as a worker): threads started, and at exit
  // the CommonJS modules loaded (systeminformation is one, also when imported).
  const threads = join(dir, 'threads.mjs');
  writeFileSync(
    threads,
    `import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  const log = (line) => appendFileSync(process.env.STARTUP_LOG, line + '\\n');
  process.on('worker', () => log('worker'));
  process.on('exit', () => { for (const path of Object.keys(createRequire(import.meta.url).cache)) log(path); });
}
`,
  );
  return { modules, threads };
}

const watchers = writeWatchers();
let logs = 0;

/** The CLI's exit code and what the watcher (watchers.modules or .threads) logged, in order. */
async function watched(watcher: string, args: readonly string[]): Promise<{ code: number | null; logged: string[]; stderr: string }> {
  const log = join(dir, `watch-${++logs}.log`);
  writeFileSync(log, '');
  const result = await runCli(args, { NODE_OPTIONS: `--import=${pathToFileURL(watcher).href}`, STARTUP_LOG: log });
  return { code: result.code, logged: readFileSync(log, 'utf8').split('\n').filter(Boolean), stderr: result.stderr };
}

const loadsPackage = (loaded: readonly string[], name: string): boolean => loaded.some((entry) => entry.includes(`/node_modules/${name}/`));

describe('start-up', () => {
  it('help loads no command action, runner, report renderer, zod, yaml, undici or Vega', async () => {
    for (const args of [['--help'], ['run', '--help'], ['compare', '--help'], ['report', '--help']]) {
      const { code, logged: loaded } = await watched(watchers.modules, args);
      expect(code, args.join(' ')).toBe(0);
      // The hook sees the CLI's own modules: a listing that shows nothing would prove nothing.
      expect(loaded.some((url) => url.endsWith('/dist/cli/run.js'))).toBe(true);
      expect(
        loaded.filter((url) => /\/dist\/(cli\/[\w-]+-action|runner\/run-benchmark|report\/writer)\.js$/.test(url)),
        args.join(' '),
      ).toEqual([]);
      for (const name of ['zod', 'yaml', 'undici', 'vega', 'vega-lite', 'hdr-histogram-js', 'systeminformation'])
        expect(loadsPackage(loaded, name), `${args.join(' ')} loads ${name}`).toBe(false);
    }
  }, 60_000);

  describe('run of an HTTP target without /metrics', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          if (request.url === '/metrics') response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
          else response.writeHead(200, { 'content-type': 'application/json' }).end('{"output":"ok"}');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/classify`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('starts no scraping worker thread nor (on Linux) systeminformation, and still writes every report', async () => {
      const workload = join(dir, 'http.yaml');
      writeFileSync(
        workload,
        [
          'name: startup',
          'warmup: { requests: 0 }',
          'measure: { requests: 3 }',
          'stability: false',
          'target:',
          `  url: ${url}`,
          '  protocol: template',
          `  template: { method: POST, body: '{"text": {{text}}}', output: output }`,
          'stages:',
          '  - { stage: classify, batchSizes: [1], concurrency: 1 }',
          '',
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const { code, logged, stderr } = await watched(watchers.threads, ['run', workload, '--out', out, '--no-gpu']);
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/\/metrics did not answer Prometheus text \(.*HTTP 404/);
      expect(logged.filter((entry) => entry === 'worker')).toEqual([]);
      // The watch sees CommonJS modules (undici is one): a listing that shows nothing would prove nothing.
      expect(loadsPackage(logged, 'undici')).toBe(true);
      if (process.platform === 'linux') expect(loadsPackage(logged, 'systeminformation')).toBe(false);
      // The reports are written all the same.
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<svg [^>]*class="marks"/);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { environment: { cpu: { model: string } } };
      expect(report.environment.cpu.model).not.toBe('');
    }, 120_000);
  });
});
