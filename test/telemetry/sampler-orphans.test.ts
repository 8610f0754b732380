/** No nvidia-smi outlives the harness: Ctrl-C handled by the CLI, and a harness killed outright. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FAKE_BIN_DIR, isAlive } from './fixtures.js';

const PARENT = join(import.meta.dirname, 'helpers', 'sampler-parent.mjs');

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

async function startParent(mode: string, scenario: string): Promise<{ parent: ReturnType<typeof spawn>; samplerPid: number }> {
  const parent = spawn(process.execPath, [PARENT, mode], {
    env: { ...process.env, PATH: `${join(FAKE_BIN_DIR, scenario)}:/usr/bin:/bin`, FAKE_NVSMI_LINES: '3' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
  const samplerPid = Number(chunk.toString().trim());
  expect(isAlive(samplerPid)).toBe(true);
  return { parent, samplerPid };
}

describe('sampler child lifetime', () => {
  it('is killed when the harness exits on SIGINT, even when it writes nothing more', async () => {
    // 'hang' prints 3 lines and then sleeps: no broken pipe would end it, only our exit handler.
    const { parent, samplerPid } = await startParent('exit-on-sigint', 'hang');
    parent.kill('SIGINT');
    const [code] = (await once(parent, 'exit')) as [number];
    expect(code).toBe(130);
    expect(await gone(samplerPid, 500)).toBe(true);
  });

  it('dies of its broken pipe when the harness is SIGKILLed', async () => {
    const { parent, samplerPid } = await startParent('plain', 'ok');
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    expect(await gone(samplerPid, 2000)).toBe(true);
  });
});
