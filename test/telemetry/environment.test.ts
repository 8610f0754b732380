import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEnvironment, readGitCommit } from '../../src/telemetry/environment.js';

describe('collectEnvironment', () => {
  it('describes this host, commit and version', async () => {
    const env = await collectEnvironment();
    expect(env.node).toBe(process.version);
    expect(env.cpu.cores).toBeGreaterThan(0);
    expect(env.memTotalBytes).toBeGreaterThan(0);
    expect(env.os.kernel).not.toBe('');
    expect(env.pipebenchVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(env.gitCommit === null || /^[0-9a-f]{40}$/.test(env.gitCommit)).toBe(true);
  });

  it('records no commit outside a checkout', async () => {
    expect(await readGitCommit(mkdtempSync(join(tmpdir(), 'pipebench-nogit-')))).toBeNull();
  });
});
