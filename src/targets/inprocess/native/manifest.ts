/**
 * What `pipebench setup native` leaves beside the addon it built (deps/pipebench-native.json in the
 * tfjs-node package): the TensorFlow C library it was built against, that library's CUDA and
 * cuDNN build versions, and the folders its child processes need on the library path. The
 * backend report and the instance's environment read it; a package installed some other way has
 * none, and then those facts are unknown rather than guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The native backends and the package each one loads. */
export const NATIVE_PACKAGES = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
} as const;
export type NativeBackend = keyof typeof NATIVE_PACKAGES;

export const MANIFEST_PATH = join('deps', 'pipebench-native.json');
/** Our small addon that lists the devices TensorFlow sees (tfjs-node's own binding only says "GPU or not"). */
export const PROBE_PATH = join('deps', 'pipebench', 'tf_probe.node');
export const ADDON_FILE = 'tfjs_binding.node';

export interface TensorFlowBuild {
  /** The wheel's version, e.g. "2.21.0". */
  readonly version: string;
  /** The Python distribution the library came from: tensorflow, tensorflow-cpu, ... */
  readonly distribution: string;
  readonly cudaBuild: boolean;
  /** What the library was built against (tf.sysconfig.get_build_info()); null for a CPU-only build. */
  readonly cudaVersion: string | null;
  readonly cudnnVersion: string | null;
}

export interface NativeManifest {
  readonly formatVersion: 1;
  readonly backend: NativeBackend;
  readonly package: string;
  readonly packageVersion: string;
  readonly tensorflow: TensorFlowBuild;
  /**
   * Where the library came from: in words, a key that changes when the source does, and the
   * setup flags that name it again (--from-wheel FILE, --from-python PYTHON, or none: pip's index).
   */
  readonly source: {
    readonly kind: 'wheel' | 'index' | 'python';
    readonly description: string;
    readonly key: string;
    readonly flags: readonly string[];
  };
  /** Folders a child process needs on LD_LIBRARY_PATH (pip's nvidia-*-cu12 libraries). */
  readonly libraryPath: readonly string[];
  /** The Node the addon was compiled for. */
  readonly node: { readonly version: string; readonly napi: string };
  /** Bytes of the copied libraries, after and before stripping. */
  readonly libraryBytes: number;
  readonly unstrippedBytes: number;
  readonly builtAt: string;
}

const requireHere = createRequire(import.meta.url);

/**
 * The folder of an installed package, resolved from `fromDir` (default: beside this module, as
 * the backend's own import would), or null when it is not installed there.
 */
export function installedPackageDir(packageName: string, fromDir?: string): string | null {
  try {
    const resolver = fromDir === undefined ? requireHere : createRequire(join(fromDir, 'noop.js'));
    return dirname(resolver.resolve(`${packageName}/package.json`));
  } catch {
    return null;
  }
}

export function readManifest(packageDir: string): NativeManifest | null {
  const path = join(packageDir, MANIFEST_PATH);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<NativeManifest>;
    return parsed.formatVersion === 1 ? (parsed as NativeManifest) : null;
  } catch {
    return null;
  }
}

interface BinaryConfig {
  readonly module_path?: string;
  readonly napi_versions?: readonly number[];
}

/**
 * Where node-pre-gyp puts (and tfjs-node looks for) the addon: the package's binary.module_path
 * for the highest N-API version it lists that this Node supports (lib/napi-v8 on Node 20).
 */
export function addonPath(packageDir: string, nodeNapi: number = Number(process.versions.napi)): string {
  let binary: BinaryConfig = {};
  try {
    binary = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { binary?: BinaryConfig }).binary ?? {};
  } catch {
    // An unreadable package.json: fall back to the layout tfjs-node 4.x uses.
  }
  const supported = (binary.napi_versions ?? [nodeNapi]).filter((v) => v <= nodeNapi);
  const napi = supported.length > 0 ? Math.max(...supported) : nodeNapi;
  const modulePath = (binary.module_path ?? './lib/napi-v{napi_build_version}').replace('{napi_build_version}', String(napi));
  return join(packageDir, modulePath, ADDON_FILE);
}
