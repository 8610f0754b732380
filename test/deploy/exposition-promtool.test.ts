/**
 * Both Prometheus endpoints, started for real from the built CLI, pass `promtool check metrics`
 * (Debian's prometheus package) with no error and no lint warning: `pipebench run
 * --prometheus-port` once every family has samples (errors by class and GPU included), and
 * `pipebench serve`'s /metrics after it answered requests.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startServe, type ServeProcess } from '../cli/cli-process.js';
import { startLiveRun, type LiveRun } from './live-run.js';
import { promtoolCheckMetrics } from './tools.js';

let run: LiveRun | undefined;
let serve: ServeProcess | undefined;
afterAll(async () => {
  await run?.stop();
  await serve?.stop();
});

/** Every family that the text declares has at least one sample line. */
function familiesWithoutSamples(text: string): string[] {
  const declared = [...text.matchAll(/^# TYPE (\w+) /gm)].map((m) => m[1]!);
  return declared.filter((name) => !new RegExp(`^${name}(_sum|_count|_bucket)?[{ ]`, 'm').test(text));
}

describe('promtool check metrics', () => {
  it('passes the live run exporter (pipebench run --prometheus-port), every family with samples', async () => {
    run = await startLiveRun(30);
    const text = await run.scrapeUntil((t) => familiesWithoutSamples(t).length === 0, 'a sample in every family');
    expect(text).toMatch(/^# TYPE pipebench_window_latency_seconds summary$/m);
    expect(text).toMatch(/^pipebench_window_latency_seconds_count \d+$/m);
    expect(text).toMatch(/^pipebench_errors_by_class_total\{class="http_5xx"\} \d+$/m);
    expect(text).not.toContain('profile=""');
    expect(text).not.toMatch(/class="(?!http_5xx")/); // the server's 500s and nothing else failed
    const checked = await promtoolCheckMetrics(text);
    expect(checked).toEqual({ code: 0, output: '' });
  }, 120_000);

  it('passes pipebench serve /metrics after it answered classify requests', async () => {
    serve = await startServe(['--backend', 'wasm', '--instances', '1']);
    for (let i = 0; i < 3; i++) {
      const answer = await request(`${serve.url}/api/v1/intents/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `how do I sort a list in python, take ${i}` }),
      });
      expect(answer.statusCode).toBe(200);
      await answer.body.dump();
    }
    const text = await (await request(`${serve.url}/metrics`)).body.text();
    expect(familiesWithoutSamples(text)).toEqual([]);
    const checked = await promtoolCheckMetrics(text);
    expect(checked).toEqual({ code: 0, output: '' });
  }, 120_000);
});
