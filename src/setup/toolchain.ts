/**
 * What building the addon from source needs: Python, make and a C++ compiler (node-gyp's
 * toolchain), npm's own node-gyp, and Node's headers. node-gyp reads `nodedir` from npm's config
 * only when npm runs it: run any other way it ignores .npmrc and downloads the headers from
 * nodejs.org, which an offline machine cannot reach. So the headers are found here and handed to
 * it explicitly (npm_config_nodedir).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from '../telemetry/run-command.js';
import { SetupError } from './setup-error.js';

export interface Toolchain {
  readonly python: string;
  /** node-gyp.js, run with this Node. */
  readonly nodeGyp: string;
  /** A folder with include/node/node_api.h; null when none was found (node-gyp will download headers). */
  readonly nodeDir: string | null;
  readonly cc: string;
}

const PROBE_TIMEOUT_MS = 30_000;
const INSTALL_HINT = 'install python3, make and g++ (Debian/Ubuntu: apt-get install python3 make g++)';

/** The Python setup runs (and node-gyp finds): $PYTHON, else python3. */
export function pythonOf(env: NodeJS.ProcessEnv): string {
  return env['PYTHON'] ?? 'python3';
}

export async function findToolchain(env: NodeJS.ProcessEnv, execPath: string = process.execPath): Promise<Toolchain> {
  const python = pythonOf(env);
  const cxx = env['CXX'] ?? 'g++';
  const cc = env['CC'] ?? 'cc';
  for (const tool of [python, 'make', cxx, cc]) {
    const outcome = await runCommand(tool, ['--version'], { env, timeoutMs: PROBE_TIMEOUT_MS });
    if (outcome.kind === 'spawn-failed') throw new SetupError('toolchain', `${tool} not found on PATH`, INSTALL_HINT);
  }
  const nodeGyp = findNodeGyp(env, execPath);
  if (nodeGyp === null) {
    throw new SetupError(
      'toolchain',
      "npm's node-gyp was not found",
      'install npm beside this Node (it bundles node-gyp) or set npm_config_node_gyp to node-gyp.js',
    );
  }
  return { python, nodeGyp, nodeDir: await findNodeDir(env, execPath), cc };
}

/** npm_config_node_gyp (set when npm runs us), else the node-gyp inside the npm beside this Node or on PATH. */
export function findNodeGyp(env: NodeJS.ProcessEnv, execPath: string): string | null {
  const candidates = [env['npm_config_node_gyp']];
  const npmCli = env['npm_execpath'];
  if (npmCli !== undefined && npmCli.endsWith('npm-cli.js'))
    candidates.push(join(dirname(dirname(npmCli)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = dirname(dirname(realpathSync(execPath)));
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path)) ?? null;
}

export function hasNodeHeaders(dir: string): boolean {
  return existsSync(join(dir, 'include', 'node', 'node_api.h'));
}

/**
 * npm_config_nodedir, else npm's configured nodedir (.npmrc), else the prefix this Node runs from
 * when its headers are installed there (/usr for Debian's nodejs, an official tarball's folder).
 * A nodedir the user configured that has no headers is an error, not a silent download.
 */
export async function findNodeDir(env: NodeJS.ProcessEnv, execPath: string): Promise<string | null> {
  const configured = env['npm_config_nodedir'] ?? (await npmConfigNodeDir(env));
  if (configured !== null) {
    if (hasNodeHeaders(configured)) return configured;
    throw new SetupError(
      'toolchain',
      `npm's nodedir ${configured} has no include/node/node_api.h`,
      "point npm_config_nodedir at a folder with Node's headers (include/node), or unset it",
    );
  }
  const prefix = dirname(dirname(realpathSync(execPath)));
  return hasNodeHeaders(prefix) ? prefix : null;
}

async function npmConfigNodeDir(env: NodeJS.ProcessEnv): Promise<string | null> {
  const outcome = await runCommand('npm', ['config', 'get', 'nodedir'], { env, timeoutMs: PROBE_TIMEOUT_MS });
  if (outcome.kind !== 'exited' || outcome.code !== 0) return null;
  const value = outcome.stdout.trim();
  return value === '' || value === 'undefined' || value === 'null' ? null : value;
}
