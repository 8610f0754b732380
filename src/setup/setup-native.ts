/**
 * `pipebench setup native`: build @tensorflow/tfjs-node (or -gpu) from source against a modern
 * TensorFlow C library, then prove it in a child process. Steps, each failing with its own name:
 * locate (the library) -> package (the JS, from npm) -> toolchain -> libraries (copy, strip)
 * -> build (addon and probe) -> verify. Idempotent: when the package already holds an addon built
 * from the same source for this Node, only `verify` runs again (no compiler needed).
 */
import { existsSync } from 'node:fs';
import { InternalError } from '../errors.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  addonPath,
  MANIFEST_PATH,
  NATIVE_PACKAGES,
  PROBE_PATH,
  readManifest,
  type NativeBackend,
  type NativeManifest,
} from '../targets/inprocess/native/manifest.js';
import { buildAddon, buildProbe } from './build-addon.js';
import {
  indexKey,
  indexSource,
  pythonSource,
  wheelSource,
  type LibrarySource,
  type LocateContext,
  type SourceChoice,
} from './library-source.js';
import { ensureNativePackage } from './native-package.js';
import { badSetupInput, type SetupStep } from './setup-error.js';
import { stageLibraries } from './stage-libraries.js';
import { findToolchain, pythonOf } from './toolchain.js';
import { verifyNative, type Verification } from './verify.js';
import { TESTED_TENSORFLOW } from './tested-tensorflow.js';

export interface SetupNativeOptions {
  readonly gpu: boolean;
  readonly source: SourceChoice;
  readonly allowNoGpu: boolean;
  /** pipebench's own folder: its node_modules gets the package. */
  readonly projectDir: string;
  readonly cacheDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onProgress?: (step: SetupStep, message: string) => void;
}

export interface SetupOutcome {
  readonly packageDir: string;
  readonly manifest: NativeManifest;
  /** False when an addon built from the same source was already there. */
  readonly rebuilt: boolean;
  readonly verification: Verification;
  readonly warnings: readonly string[];
}

export function nativeBackendOf(gpu: boolean): NativeBackend {
  return gpu ? 'tensorflow-gpu' : 'tensorflow';
}

export async function setupNative(options: SetupNativeOptions): Promise<SetupOutcome> {
  const { env, gpu } = options;
  const progress = options.onProgress ?? (() => undefined);
  const backend = nativeBackendOf(gpu);
  const warnings: string[] = [];

  // A wheel or Python that will not do fails first, before anything is checked or installed.
  const context: LocateContext = { env, python: pythonOf(env), gpu };
  progress('locate', describeChoice(options.source, gpu));
  let source: LibrarySource | null = null;
  if (options.source.kind === 'wheel') source = await wheelSource(options.source.path, context);
  if (options.source.kind === 'python') source = await pythonSource(options.source.python, context);
  if (source !== null) warnings.push(...flavourWarnings(source, gpu));

  progress('package', `${NATIVE_PACKAGES[backend]} (its JavaScript, from the npm registry when missing)`);
  const pkg = await ensureNativePackage(NATIVE_PACKAGES[backend], options.projectDir, env);

  const key = source?.key ?? indexKey(gpu, options.source.kind === 'index' ? options.source.version : TESTED_TENSORFLOW);
  const previous = readManifest(pkg.dir);
  let manifest: NativeManifest;
  if (previous !== null && isUpToDate(previous, key, pkg.version, pkg.dir)) {
    progress(
      'build',
      `already built against TensorFlow ${previous.tensorflow.version} from ${previous.source.description}: nothing to rebuild`,
    );
    manifest = previous;
  } else {
    if (source === null && options.source.kind === 'index') {
      progress('locate', `pip download ${gpu ? 'tensorflow' : 'tensorflow-cpu'}==${options.source.version}`);
      source = await indexSource(options.source.version, context);
      warnings.push(...flavourWarnings(source, gpu));
    }
    if (source === null) throw new InternalError('setup native: no TensorFlow library source was located');
    try {
      // Checked before the long copy, and only when there is something to build.
      progress('toolchain', "python3, make, g++, npm's node-gyp and Node's headers");
      const toolchain = await findToolchain(env);
      if (toolchain.nodeDir === null)
        warnings.push("Node's headers were not found locally: node-gyp downloaded them (set npm_config_nodedir to avoid it)");
      progress(
        'libraries',
        `copying TensorFlow ${source.build.version}'s C library and headers from ${source.description} into ${join(pkg.dir, 'deps')}, stripped`,
      );
      const staged = await stageLibraries(source, pkg.dir, env);
      if (staged.warning !== null) warnings.push(staged.warning);
      progress('build', `compiling ${NATIVE_PACKAGES[backend]}'s addon from source (node-pre-gyp, node-gyp) and the device probe`);
      await buildAddon(pkg.dir, toolchain, env);
      await buildProbe(pkg.dir, toolchain, env);
      manifest = {
        formatVersion: 1,
        backend,
        package: pkg.name,
        packageVersion: pkg.version,
        tensorflow: source.build,
        source: { kind: source.kind, description: source.description, key: source.key, flags: sourceFlags(options.source) },
        libraryPath: source.libraryPath,
        node: { version: process.version, napi: process.versions.napi ?? 'unknown' },
        libraryBytes: staged.libraryBytes,
        unstrippedBytes: staged.unstrippedBytes,
        builtAt: new Date().toISOString(),
      };
      await writeFile(join(pkg.dir, MANIFEST_PATH), `${JSON.stringify(manifest, null, 2)}\n`);
    } finally {
      await source.dispose();
    }
  }

  progress('verify', 'loading the addon in a child process: a tiny matmul, then a classify batch on the built-in model');
  const verification = await verifyNative(backend, { allowNoGpu: options.allowNoGpu, cacheDir: options.cacheDir });
  if (gpu && !verification.gpuSeen) warnings.push('TensorFlow sees no GPU here (--allow-no-gpu): the addon ran on the CPU');
  return { packageDir: pkg.dir, manifest, rebuilt: manifest !== previous, verification, warnings };
}

function isUpToDate(manifest: NativeManifest, key: string, packageVersion: string, packageDir: string): boolean {
  return (
    manifest.source.key === key &&
    manifest.packageVersion === packageVersion &&
    manifest.node.napi === process.versions.napi &&
    existsSync(addonPath(packageDir)) &&
    existsSync(join(packageDir, PROBE_PATH))
  );
}

function sourceFlags(choice: SourceChoice): string[] {
  switch (choice.kind) {
    case 'wheel':
      return ['--from-wheel', choice.path];
    case 'index':
      return [];
    case 'python':
      return ['--from-python', choice.python];
  }
}

function describeChoice(choice: SourceChoice, gpu: boolean): string {
  switch (choice.kind) {
    case 'wheel':
      return `the wheel ${choice.path}`;
    case 'index':
      return `${gpu ? 'tensorflow' : 'tensorflow-cpu'}==${choice.version} from pip's configured package index (downloaded only when a rebuild needs it)`;
    case 'python':
      return `the tensorflow package of ${choice.python}`;
  }
}

/** --gpu needs a CUDA build; a CUDA build without --gpu still works (on the CPU); other versions are untested. */
function flavourWarnings(source: LibrarySource, gpu: boolean): string[] {
  const { build } = source;
  if (gpu && !build.cudaBuild) {
    throw badSetupInput(
      'locate',
      `${source.description} is a CPU-only build of TensorFlow (${build.distribution} ${build.version})`,
      "for --gpu use a CUDA build: pip install 'tensorflow[and-cuda]==2.21.0' then --from-python, or the tensorflow wheel (not tensorflow-cpu) with --from-wheel",
    );
  }
  const warnings: string[] = [];
  if (!gpu && build.cudaBuild)
    warnings.push(
      `${build.distribution} ${build.version} is a CUDA build: @tensorflow/tfjs-node runs it on the CPU (for the GPU: setup native --gpu)`,
    );
  const minor = TESTED_TENSORFLOW.split('.').slice(0, 2).join('.');
  if (!build.version.startsWith(`${minor}.`))
    warnings.push(
      `TensorFlow ${build.version}: this recipe was tested with ${TESTED_TENSORFLOW}; another release may lack C API functions the binding calls`,
    );
  return warnings;
}
