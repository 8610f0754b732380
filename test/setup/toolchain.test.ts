import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { SetupError } from '../../src/setup/setup-error.js';
import { findNodeDir, findNodeGyp } from '../../src/setup/toolchain.js';

/** A Node prefix in a temp dir: bin/node (never run, only located) and, if asked, its headers. */
function nodePrefix(withHeaders: boolean): { prefix: string; execPath: string } {
  const prefix = mkdtempSync(join(tmpdir(), 'pipebench-node-prefix-'));
  mkdirSync(join(prefix, 'bin'));
  writeFileSync(join(prefix, 'bin', 'node'), '');
  if (withHeaders) {
    mkdirSync(join(prefix, 'include', 'node'), { recursive: true });
    writeFileSync(join(prefix, 'include', 'node', 'node_api.h'), '');
  }
  return { prefix, execPath: join(prefix, 'bin', 'node') };
}

// PATH without npm: `npm config get nodedir` cannot answer, so only what the test sets counts.
const noNpm = { PATH: '/nonexistent' };

describe("node-gyp and Node's headers for the build", () => {
  it("takes Node's headers from npm_config_nodedir, else from the prefix Node runs from, else none (node-gyp would download them)", async () => {
    const configured = nodePrefix(true);
    const running = nodePrefix(true);
    expect(await findNodeDir({ ...noNpm, npm_config_nodedir: configured.prefix }, running.execPath)).toBe(configured.prefix);
    expect(await findNodeDir(noNpm, running.execPath)).toBe(running.prefix);
    expect(await findNodeDir(noNpm, nodePrefix(false).execPath)).toBeNull();
  });

  it('a configured nodedir without the headers is an error naming it, not a silent download', async () => {
    const empty = nodePrefix(false);
    const error = await findNodeDir({ ...noNpm, npm_config_nodedir: empty.prefix }, nodePrefix(true).execPath).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).exitCode).toBe(ExitCode.internal);
    expect((error as SetupError).message).toBe(
      `setup native: step "toolchain" failed: npm's nodedir ${empty.prefix} has no include/node/node_api.h; point npm_config_nodedir at a folder with Node's headers (include/node), or unset it`,
    );
  });

  it("finds npm's node-gyp: npm_config_node_gyp, the npm that runs us, or the npm beside this Node", () => {
    const { prefix, execPath } = nodePrefix(false);
    expect(findNodeGyp(noNpm, execPath)).toBeNull();
    const besideNode = join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    mkdirSync(join(besideNode, '..'), { recursive: true });
    writeFileSync(besideNode, '');
    expect(findNodeGyp(noNpm, execPath)).toBe(besideNode);
    const npmDir = mkdtempSync(join(tmpdir(), 'pipebench-npm-'));
    const viaNpm = join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    mkdirSync(join(viaNpm, '..'), { recursive: true });
    writeFileSync(viaNpm, '');
    expect(findNodeGyp({ ...noNpm, npm_execpath: join(npmDir, 'bin', 'npm-cli.js') }, execPath)).toBe(viaNpm);
    expect(findNodeGyp({ ...noNpm, npm_config_node_gyp: besideNode, npm_execpath: join(npmDir, 'bin', 'npm-cli.js') }, execPath)).toBe(
      besideNode,
    );
  });
});
