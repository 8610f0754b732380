/**
 * Puts TensorFlow's C library where tfjs-node's binding.gyp links it: deps/lib and deps/include of
 * the package. The two libraries are stripped of what linking does not need (853 -> 634 MB for
 * TensorFlow 2.21), and named the way the binding and its install script expect:
 * libtensorflow.so -> libtensorflow_cc.so.2 (the C API lives there since TensorFlow 2.x split it),
 * libtensorflow_framework.so -> libtensorflow_framework.so.2, and libtensorflow.so.<the version
 * the package would download>, whose presence makes its install script skip the download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../telemetry/run-command.js';
import type { LibrarySource } from './library-source.js';
import { REQUIRED_HEADERS, TF_LIBRARIES } from './python-scripts.js';
import { SetupError } from './setup-error.js';

export interface StagedLibraries {
  readonly libraryBytes: number;
  readonly unstrippedBytes: number;
  /** Set when the libraries could not be stripped (no `strip`): they work, only larger. */
  readonly warning: string | null;
}

const STRIP_TIMEOUT_MS = 10 * 60_000;

export async function stageLibraries(source: LibrarySource, packageDir: string, env: NodeJS.ProcessEnv): Promise<StagedLibraries> {
  const deps = join(packageDir, 'deps');
  await rm(deps, { recursive: true, force: true });
  await mkdir(join(deps, 'lib'), { recursive: true });
  await mkdir(join(deps, 'include'), { recursive: true });
  await source.copyInto(deps);
  const missing = REQUIRED_HEADERS.filter((header) => !existsSync(join(deps, 'include', header)));
  if (missing.length > 0) {
    throw new SetupError(
      'libraries',
      `TensorFlow's C headers are missing from ${join(deps, 'include')} (${missing.join(', ')})`,
      'use a complete wheel or tensorflow install (--from-wheel FILE)',
    );
  }
  const libs = TF_LIBRARIES.map((lib) => join(deps, 'lib', lib));
  const unstrippedBytes = await totalBytes(libs);
  let warning: string | null = null;
  for (const lib of libs) {
    const outcome = await runCommand('strip', ['--strip-unneeded', lib], { env, timeoutMs: STRIP_TIMEOUT_MS });
    if (outcome.kind === 'spawn-failed') {
      warning = 'strip (binutils) not found: the libraries were kept unstripped (they work, only larger)';
      break;
    }
    if (outcome.kind !== 'exited' || outcome.code !== 0) {
      warning = `strip failed on ${lib}: the libraries were kept unstripped`;
      break;
    }
  }
  const [cc, framework] = TF_LIBRARIES;
  await symlink(cc, join(deps, 'lib', 'libtensorflow.so'));
  await symlink(cc, join(deps, 'lib', `libtensorflow.so.${downloadVersion(packageDir)}`));
  await symlink(framework, join(deps, 'lib', 'libtensorflow_framework.so'));
  return { libraryBytes: await totalBytes(libs), unstrippedBytes, warning };
}

/** The libtensorflow version the package's install script would download (2.9.1 for tfjs-node 4.x). */
function downloadVersion(packageDir: string): string {
  try {
    const constants = readFileSync(join(packageDir, 'scripts', 'deps-constants.js'), 'utf8');
    return /LIBTENSORFLOW_VERSION\s*=\s*'([\d.]+)'/.exec(constants)?.[1] ?? '2.9.1';
  } catch {
    return '2.9.1';
  }
}

async function totalBytes(paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path)).size;
  return bytes;
}
