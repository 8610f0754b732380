import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EnvironmentReport } from '../../src/core/report/environment.js';
import { collectEnvironment, readGitCommit } from '../../src/telemetry/environment.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The built survey (vitest's global setup builds dist/), run in a child process with its own PATH. */
const BUILT_ENVIRONMENT = join(ROOT, 'dist', 'telemetry', 'environment.js');

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

describe.runIf(process.platform === 'linux')('the survey on Linux', () => {
  it('starts no child process but git: no shell, lscpu, dmidecode, dmesg, hostname or ip before a benchmark', async () => {
    // Fake executables first on PATH log every call; git goes on to the real one, so the commit is still read.
    const bin = mkdtempSync(join(tmpdir(), 'pipebench-survey-bin-'));
    const calls = join(bin, 'calls.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    for (const name of ['lscpu', 'dmidecode', 'dmesg', 'hostname', 'ip', 'cat', 'grep', 'which', 'echo', 'git']) {
      const then = name === 'git' ? `exec ${realGit} "$@"` : 'exit 0';
      writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${calls}"\n${then}\n`, { mode: 0o755 });
    }
    const survey = `const { collectEnvironment } = await import(${JSON.stringify(pathToFileURL(BUILT_ENVIRONMENT).href)});
process.stdout.write(JSON.stringify(await collectEnvironment()));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', survey], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    const env = JSON.parse(stdout) as EnvironmentReport;
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['git rev-parse HEAD']);
    expect(env.cpu.model).not.toBe('');
    expect(env.os.distro).not.toBe('unknown');
    expect(env.gitCommit).toBe(execFileSync(realGit, ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim());
  });
});
