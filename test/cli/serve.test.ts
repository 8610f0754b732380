import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';

const LISTENING = /^pipebench serve listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

/** Resolves with the first stdout match, or rejects when the process ends or time runs out. */
function waitForLine(child: ReturnType<typeof startCli>['child'], pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${seen}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stdout: ${seen}`));
    });
  });
}

describe('pipebench serve (built binary)', () => {
  it('prints the listening line, answers /health, and exits 0 on SIGTERM with nothing left running', async () => {
    const { child, done } = startCli(['serve', '--port', '0', '--backend', 'wasm', '--instances', '1']);
    try {
      const match = await waitForLine(child, LISTENING, 60_000);
      const health = await fetch(`${match[1]}/health`);
      expect(await health.json()).toEqual({ status: 'healthy', service: 'pipebench-serve' });
      const classified = await fetch(`${match[1]}/api/v1/intents/classify`, {
        method: 'POST',
        body: JSON.stringify({ text: 'write a poem about the sea' }),
      });
      expect(classified.status).toBe(200);
      const t0 = performance.now();
      child.kill('SIGTERM');
      const result = await done;
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(result.code).toBe(0);
      expect(result.stdout.match(/listening/g)).toHaveLength(1);
      expect(result.stderr).toContain('POST /api/v1/enhance');
      // The process (and with it every worker thread) is gone: signal 0 finds nothing.
      expect(() => process.kill(child.pid!, 0)).toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('rejects a bad flag value with exit 2, naming the flag', async () => {
    const result = await runCli(['serve', '--max-body', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-body');
    const port = await runCli(['serve', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port');
  });
});
