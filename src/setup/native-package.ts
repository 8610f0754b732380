/**
 * The tfjs-node(-gpu) package's JavaScript, which the build needs. A plain `npm ci` drops it: its
 * install script tries to download libtensorflow, fails offline, and npm removes the optional
 * package with its dependencies. So setup installs it from the npm registry with scripts off,
 * at the version of @tensorflow/tfjs in use (the backend registers into that tfjs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../telemetry/run-command.js';
import { installedPackageDir } from '../targets/inprocess/native/manifest.js';
import { SetupError } from './setup-error.js';

const NPM_TIMEOUT_MS = 15 * 60_000;

export interface NativePackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** True when this setup installed it. */
  readonly installed: boolean;
}

/** The version the native package must have: the @tensorflow/tfjs this project uses. */
export function tfjsVersion(projectDir: string): string {
  const dir = installedPackageDir('@tensorflow/tfjs', projectDir);
  if (dir === null) throw new SetupError('package', `@tensorflow/tfjs is not installed in ${projectDir}`, 'run npm ci first');
  return readVersion(dir) ?? 'unknown';
}

export async function ensureNativePackage(name: string, projectDir: string, env: NodeJS.ProcessEnv): Promise<NativePackage> {
  const version = tfjsVersion(projectDir);
  const present = installedPackageDir(name, projectDir);
  if (present !== null && readVersion(present) === version) return { name, version, dir: present, installed: false };
  const [command, ...prefix] = npmCommand(env);
  const args = [...prefix, 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `${name}@${version}`];
  const outcome = await runCommand(command ?? 'npm', args, { cwd: projectDir, env, timeoutMs: NPM_TIMEOUT_MS });
  const dir = installedPackageDir(name, projectDir);
  if (outcome.kind !== 'exited' || outcome.code !== 0 || dir === null) {
    const said = outcome.kind === 'exited' ? lastLines(outcome.stderr || outcome.stdout) : outcome.kind;
    throw new SetupError(
      'package',
      `npm could not install ${name}@${version} from the registry (${said})`,
      `check that the registry is reachable (npm config get registry), or install it yourself: npm install --no-save --ignore-scripts ${name}@${version}`,
    );
  }
  return { name, version, dir, installed: true };
}

/** The npm that runs us (npm_execpath under `npm run`/npx), else `npm` on PATH. */
function npmCommand(env: NodeJS.ProcessEnv): string[] {
  const cli = env['npm_execpath'];
  return cli !== undefined && cli.endsWith('npm-cli.js') ? [process.execPath, cli] : ['npm'];
}

function readVersion(dir: string): string | null {
  try {
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line !== '');
  return lines.slice(-2).join(' / ') || 'no output';
}
