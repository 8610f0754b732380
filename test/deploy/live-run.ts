/**
 * A live pipebench run to scrape: the built CLI with --prometheus-port 0 against a BetterPrompts
 * classify server on 127.0.0.1 that fails 1 request in 10 with HTTP 500 (so errors by class have
 * a series), with the stand-in nvidia-smi streaming the recorded H100 trace on PATH (so the GPU
 * series exist where no GPU does). One step, closed loop, 2 in flight, bounded by `durationS`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startCli, type CliResult } from '../cli/cli-process.js';
import { startFaultServer, type FaultServer } from '../fixtures/http/fault-server.js';

const FAKE_NVIDIA_SMI_DIR = join(import.meta.dirname, '..', 'fixtures', 'bin', 'ok');
const CLASSIFY_BODY = JSON.stringify({ intent: 'question_answering', confidence: 0.9, metadata: { processing_time: 0.001 } });
const FAIL_EVERY = 10;

export interface LiveRun {
  /** http://127.0.0.1:port/metrics of the run's exporter. */
  readonly metricsUrl: string;
  scrape(): Promise<string>;
  /** Resolves with the exposition once `ready` holds for it (polled every 250 ms); rejects after `timeoutMs`. */
  scrapeUntil(ready: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Interrupts the run if it still goes, then closes the server. */
  stop(): Promise<CliResult>;
}

export async function startLiveRun(durationS: number): Promise<LiveRun> {
  let requests = 0;
  const server: FaultServer = await startFaultServer((_request, res) => {
    const fails = ++requests % FAIL_EVERY === 0;
    setTimeout(() => {
      if (fails) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"injected"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(CLASSIFY_BODY);
    }, 2);
  });
  const outDir = await mkdtemp(join(tmpdir(), 'pipebench-live-run-'));
  const run = startCli(
    [
      'run',
      '--target',
      server.url,
      '--stage',
      'classify',
      '--concurrency',
      '2',
      '--warmup',
      '0',
      '--duration',
      `${durationS}s`,
      '--no-health',
      '--no-server-metrics',
      '--prometheus-port',
      '0',
      '--out',
      outDir,
      '--quiet',
    ],
    { PATH: `${FAKE_NVIDIA_SMI_DIR}:${process.env['PATH'] ?? ''}` },
  );
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "live metrics at" line within 60 s: ${seen}`)), 60_000);
    run.child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /live metrics at (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    run.child.once('exit', () => reject(new Error(`the run ended before serving metrics: ${seen}`)));
  });
  const scrape = async (): Promise<string> => (await request(metricsUrl)).body.text();
  return {
    metricsUrl,
    scrape,
    async scrapeUntil(ready, what, timeoutMs = 60_000) {
      const deadline = performance.now() + timeoutMs;
      let last = '';
      while (performance.now() < deadline) {
        last = await scrape();
        if (ready(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`the live run's /metrics never showed ${what} within ${timeoutMs} ms; last scrape:\n${last}`);
    },
    async stop() {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGINT');
      const result = await run.done;
      await server.close();
      return result;
    },
  };
}
