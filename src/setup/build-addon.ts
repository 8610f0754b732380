/**
 * Compiles the tfjs-node(-gpu) N-API addon from source against the staged library, and setup's
 * probe beside it. The addon goes through node-pre-gyp directly (never the package's install
 * script: the -gpu one always downloads libtensorflow), with npm's node-gyp and Node's headers
 * named explicitly. Each build's output is kept in a log next to the libraries.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCommand, type CommandOutcome } from '../telemetry/run-command.js';
import { addonPath, PROBE_PATH } from '../targets/inprocess/native/manifest.js';
import { diagnoseBuildFailure } from './build-failure.js';
import { PROBE_C_SOURCE } from './probe-source.js';
import { SetupError } from './setup-error.js';
import type { Toolchain } from './toolchain.js';

const BUILD_TIMEOUT_MS = 30 * 60_000;
export const BUILD_LOG = join('deps', 'pipebench-build.log');

export async function buildAddon(packageDir: string, toolchain: Toolchain, env: NodeJS.ProcessEnv): Promise<void> {
  const nodePreGyp = join(
    dirname(createRequire(join(packageDir, 'package.json')).resolve('@mapbox/node-pre-gyp/package.json')),
    'bin',
    'node-pre-gyp',
  );
  await rm(join(packageDir, 'build'), { recursive: true, force: true });
  await rm(dirname(addonPath(packageDir)), { recursive: true, force: true });
  const outcome = await runCommand(process.execPath, [nodePreGyp, 'install', '--build-from-source'], {
    cwd: packageDir,
    env: buildEnv(env, toolchain),
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  const log = await writeLog(packageDir, 'node-pre-gyp install --build-from-source', outcome);
  if (outcome.kind !== 'exited' || outcome.code !== 0 || !existsSync(addonPath(packageDir))) {
    const diagnosis = diagnoseBuildFailure(outputOf(outcome));
    throw new SetupError('build', diagnosis.problem, `${diagnosis.fix} (build log: ${log})`);
  }
}

/** cc -shared: one C file, no gyp needed; the probe finds the libraries through its rpath ($ORIGIN/../lib). */
export async function buildProbe(packageDir: string, toolchain: Toolchain, env: NodeJS.ProcessEnv): Promise<void> {
  const output = join(packageDir, PROBE_PATH);
  const dir = dirname(output);
  await mkdir(dir, { recursive: true });
  const source = join(dir, 'tf_probe.c');
  await writeFile(source, PROBE_C_SOURCE);
  const deps = join(packageDir, 'deps');
  const args = [
    '-shared',
    '-fPIC',
    '-O2',
    `-I${nodeIncludeDir(toolchain, env)}`,
    `-I${join(deps, 'include')}`,
    source,
    `-L${join(deps, 'lib')}`,
    '-ltensorflow',
    '-Wl,-rpath,$ORIGIN/../lib',
    '-o',
    output,
  ];
  const outcome = await runCommand(toolchain.cc, args, { env, timeoutMs: BUILD_TIMEOUT_MS });
  const log = await writeLog(packageDir, `${toolchain.cc} ${args.join(' ')}`, outcome, true);
  if (outcome.kind !== 'exited' || outcome.code !== 0) {
    const diagnosis = diagnoseBuildFailure(outputOf(outcome));
    throw new SetupError('build', `the device probe did not compile: ${diagnosis.problem}`, `${diagnosis.fix} (build log: ${log})`);
  }
}

function buildEnv(env: NodeJS.ProcessEnv, toolchain: Toolchain): NodeJS.ProcessEnv {
  return {
    ...env,
    npm_config_node_gyp: toolchain.nodeGyp,
    ...(toolchain.nodeDir !== null && { npm_config_nodedir: toolchain.nodeDir }),
    JOBS: env['JOBS'] ?? String(availableParallelism()),
  };
}

/** Node's headers: the nodedir found, else where node-gyp downloaded them for the addon's build. */
function nodeIncludeDir(toolchain: Toolchain, env: NodeJS.ProcessEnv): string {
  if (toolchain.nodeDir !== null) return join(toolchain.nodeDir, 'include', 'node');
  const devDir = env['npm_config_devdir'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'node-gyp');
  return join(devDir, process.versions.node, 'include', 'node');
}

function outputOf(outcome: CommandOutcome): string {
  if (outcome.kind === 'spawn-failed') return `${outcome.message}`;
  return `${outcome.stdout}\n${outcome.stderr}${outcome.kind === 'timed-out' ? '\n(timed out)' : ''}`;
}

async function writeLog(packageDir: string, command: string, outcome: CommandOutcome, append = false): Promise<string> {
  const path = join(packageDir, BUILD_LOG);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `$ ${command}\n${outputOf(outcome)}\n`, { flag: append ? 'a' : 'w' });
  return path;
}
