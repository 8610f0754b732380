/**
 * Where the TensorFlow C library comes from: a wheel file, a wheel pip finds in its package index,
 * or an installed tensorflow Python package. Each becomes a LibrarySource that knows what it is
 * (version, CUDA build), the folders its libraries need at run time, and how to copy its two
 * shared libraries and C headers into the addon's deps/ folder.
 */
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { lastMeaningfulLine, runCommand } from '../telemetry/run-command.js';
import type { NativeManifest, TensorFlowBuild } from '../targets/inprocess/native/manifest.js';
import { EXTRACT_WHEEL, FIND_TENSORFLOW, INSPECT_WHEEL, REQUIRED_HEADERS, TF_HEADER_DIRS, TF_LIBRARIES } from './python-scripts.js';
import { pythonValue, runPythonJson } from './run-python.js';
import { badSetupInput, SetupError } from './setup-error.js';
import { hostPlatform, parseWheelName, platformMismatch, type HostPlatform } from './wheel-tags.js';

export type SourceKind = NativeManifest['source']['kind'];

export type SourceChoice =
  | { readonly kind: 'wheel'; readonly path: string }
  /** pip resolves tensorflow-cpu (or tensorflow for --gpu) at `version` from its configured index. */
  | { readonly kind: 'index'; readonly version: string }
  | { readonly kind: 'python'; readonly python: string };

export interface LibrarySource {
  readonly kind: SourceKind;
  readonly description: string;
  /** Changes when the source does: setup rebuilds only then. */
  readonly key: string;
  readonly build: TensorFlowBuild;
  /** Folders the library's dependencies live in (pip's nvidia-*-cu12), for LD_LIBRARY_PATH. */
  readonly libraryPath: readonly string[];
  /** Copies the shared libraries to deps/lib and the C headers to deps/include. */
  copyInto(depsDir: string): Promise<void>;
  /** Removes what locating it left behind (a wheel pip downloaded). */
  dispose(): Promise<void>;
}

export interface LocateContext {
  readonly env: NodeJS.ProcessEnv;
  /** The Python that reads wheels and runs pip. */
  readonly python: string;
  readonly gpu: boolean;
  readonly host?: HostPlatform;
}

interface WheelInspection {
  readonly error?: string;
  readonly name: string | null;
  readonly version: string | null;
  readonly buildInfo: Readonly<Record<string, string | boolean | number>>;
  readonly libraries: readonly string[];
  readonly headers: readonly string[];
}

/** A key for a wheel file that is cheap to compute before reading it (path, size and time). */
export async function wheelKey(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return `wheel:${realpathSync(path)}:${info.size}:${Math.round(info.mtimeMs)}`;
  } catch {
    return null;
  }
}

export function indexKey(gpu: boolean, version: string): string {
  return `index:${indexDistribution(gpu)}==${version}`;
}

function indexDistribution(gpu: boolean): string {
  return gpu ? 'tensorflow' : 'tensorflow-cpu';
}

export async function wheelSource(path: string, context: LocateContext, kind: SourceKind = 'wheel'): Promise<LibrarySource> {
  const file = resolve(path);
  const fix =
    "give a TensorFlow wheel for Linux on this machine's CPU (tensorflow or tensorflow-cpu, any Python version: only its C library is used)";
  if (!existsSync(file)) throw badSetupInput('locate', `--from-wheel: ${file} does not exist`, fix);
  const name = parseWheelName(basename(file));
  if (name === null)
    throw badSetupInput('locate', `--from-wheel: ${basename(file)} is not a wheel file name (name-version-python-abi-platform.whl)`, fix);
  const mismatch = platformMismatch(name, context.host ?? hostPlatform());
  if (mismatch !== null) throw badSetupInput('locate', `${basename(file)} is a wheel for another platform (${mismatch})`, fix);
  const inspected = pythonValue<WheelInspection>(
    'locate',
    context.python,
    await runPythonJson(context.python, INSPECT_WHEEL, [file, JSON.stringify(TF_LIBRARIES), JSON.stringify(REQUIRED_HEADERS)], context.env),
  );
  if (inspected.error !== undefined) throw badSetupInput('locate', `${basename(file)} is ${inspected.error}`, fix);
  const missingLibraries = TF_LIBRARIES.filter((lib) => !inspected.libraries.includes(lib));
  if (missingLibraries.length > 0) {
    throw badSetupInput(
      'locate',
      `${basename(file)} holds no tensorflow/${missingLibraries.join(' or tensorflow/')} (not a TensorFlow 2.x wheel for Linux)`,
      fix,
    );
  }
  const missingHeaders = REQUIRED_HEADERS.filter((header) => !inspected.headers.includes(header));
  if (missingHeaders.length > 0) {
    throw badSetupInput('locate', `${basename(file)} lacks TensorFlow's C headers (tensorflow/include/${missingHeaders.join(', ')})`, fix);
  }
  const build = tensorflowBuild(inspected.name ?? name.distribution, inspected.version ?? name.version, inspected.buildInfo);
  return {
    kind,
    description: kind === 'index' ? `${basename(file)} (from pip's package index)` : basename(file),
    key: kind === 'index' ? indexKey(context.gpu, build.version) : ((await wheelKey(file)) ?? file),
    build,
    libraryPath: [],
    copyInto: async (depsDir) => {
      const extracted = await runPythonJson<{ files: number }>(
        context.python,
        EXTRACT_WHEEL,
        [file, depsDir, JSON.stringify(TF_LIBRARIES), JSON.stringify(TF_HEADER_DIRS)],
        context.env,
      );
      pythonValue('libraries', context.python, extracted);
    },
    dispose: async () => undefined,
  };
}

/** pip download --no-deps into a temporary folder, then the wheel it saved. */
export async function indexSource(version: string, context: LocateContext): Promise<LibrarySource> {
  const requirement = `${indexDistribution(context.gpu)}==${version}`;
  const dir = await mkdtemp(join(tmpdir(), 'pipebench-wheel-'));
  const outcome = await runCommand(
    context.python,
    ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-d', dir, requirement],
    {
      env: context.env,
      timeoutMs: 30 * 60_000,
    },
  );
  const wheel = (await readdir(dir)).find((file) => file.endsWith('.whl'));
  if (outcome.kind !== 'exited' || outcome.code !== 0 || wheel === undefined) {
    await rm(dir, { recursive: true, force: true });
    const said = outcome.kind === 'exited' ? outcome.stderr + outcome.stdout : outcome.kind;
    const why = /No module named pip/.test(said)
      ? `${context.python} has no pip`
      : /No matching distribution|Could not find a version/.test(said)
        ? `pip found no ${requirement} wheel for this Python and platform in its package index`
        : `pip download ${requirement} failed (${lastMeaningfulLine(said) ?? 'no output'})`;
    throw new SetupError(
      'locate',
      why,
      'pass --from-wheel FILE (a Linux TensorFlow wheel for any Python version) or --from-python with a Python that has tensorflow installed',
    );
  }
  const source = await wheelSource(join(dir, wheel), context, 'index');
  return { ...source, dispose: () => rm(dir, { recursive: true, force: true }) };
}

interface PythonTensorFlow {
  readonly error?: string;
  readonly python: string;
  readonly libDir?: string;
  readonly distribution?: string;
  readonly version?: string;
  readonly buildInfo?: Readonly<Record<string, string | boolean | number>>;
  readonly nvidiaLibDirs?: readonly string[];
}

/** The tensorflow package an installed Python imports; for --gpu with pip's nvidia-*-cu12 library folders. */
export async function pythonSource(python: string, context: LocateContext): Promise<LibrarySource> {
  const outcome = await runPythonJson<PythonTensorFlow>(python, FIND_TENSORFLOW, [], context.env);
  if (outcome.kind === 'not-found')
    throw badSetupInput('locate', `--from-python: ${python} not found`, 'name a Python executable that has tensorflow installed');
  const found = pythonValue('locate', python, outcome);
  const install = context.gpu ? "pip install 'tensorflow[and-cuda]==2.21.0'" : 'pip install tensorflow-cpu==2.21.0';
  if (found.error !== undefined || found.libDir === undefined) {
    throw badSetupInput(
      'locate',
      `${python} (Python ${found.python}): ${found.error ?? 'no tensorflow package'}`,
      `install it (${install}) or pass --from-wheel FILE`,
    );
  }
  const libDir = found.libDir;
  const missingLibraries = TF_LIBRARIES.filter((lib) => !existsSync(join(libDir, lib)));
  if (missingLibraries.length > 0) {
    throw badSetupInput(
      'locate',
      `the tensorflow package at ${libDir} has no ${missingLibraries.join(' or ')} (not TensorFlow 2.x on Linux?)`,
      `install TensorFlow 2.21 (${install})`,
    );
  }
  const missingHeaders = REQUIRED_HEADERS.filter((header) => !existsSync(join(libDir, 'include', header)));
  if (missingHeaders.length > 0) {
    throw badSetupInput(
      'locate',
      `the tensorflow package at ${libDir} lacks its C headers (include/${missingHeaders.join(', include/')})`,
      `reinstall it (${install} --force-reinstall) or pass --from-wheel FILE`,
    );
  }
  const build = tensorflowBuild(found.distribution ?? 'tensorflow', found.version ?? 'unknown', found.buildInfo ?? {});
  return {
    kind: 'python',
    description: `${found.distribution ?? 'tensorflow'} ${build.version} installed for Python ${found.python} (${libDir})`,
    key: `python:${libDir}:${build.version}`,
    build,
    libraryPath: context.gpu ? (found.nvidiaLibDirs ?? []) : [],
    copyInto: async (depsDir) => {
      for (const lib of TF_LIBRARIES) await cp(join(libDir, lib), join(depsDir, 'lib', lib));
      for (const dir of TF_HEADER_DIRS) {
        const from = join(libDir, 'include', dir);
        if (existsSync(from)) await cp(from, join(depsDir, 'include', dir), { recursive: true });
      }
    },
    dispose: async () => undefined,
  };
}

export function tensorflowBuild(
  distribution: string,
  version: string,
  buildInfo: Readonly<Record<string, string | boolean | number>>,
): TensorFlowBuild {
  const text = (key: string): string | null => (typeof buildInfo[key] === 'string' ? (buildInfo[key] as string) : null);
  const cudaBuild = buildInfo['is_cuda_build'] === true;
  return {
    version,
    distribution: distribution.replace(/_/g, '-'),
    cudaBuild,
    cudaVersion: cudaBuild ? text('cuda_version') : null,
    cudnnVersion: cudaBuild ? text('cudnn_version') : null,
  };
}
