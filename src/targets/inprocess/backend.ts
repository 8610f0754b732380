/**
 * TF.js backend selection, run inside each model instance (the thread or process that owns the
 * backend). Order for 'auto': tensorflow-gpu -> tensorflow -> wasm -> cpu; each candidate is
 * imported, set and checked with a tiny matmul, and the reason every earlier one failed is kept.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as TfModule from '@tensorflow/tfjs';
import { TargetUnavailableError, toError } from '../../errors.js';
import type { NativeBackendInfo } from '../../core/report/environment.js';
import type { BackendChoice } from '../../core/workload.js';
import { addonPath, installedPackageDir, NATIVE_PACKAGES, readManifest, type NativeBackend } from './native/manifest.js';
import { nativeInfo, noGpuHint } from './native/native-info.js';
import type { SelectedBackend } from './protocol.js';

export type Tf = typeof TfModule;
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

export const AUTO_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly ConcreteBackend[];

interface Candidate {
  readonly packageName: string;
  /** The name TF.js registers the backend under. */
  readonly tfName: string;
  readonly load: (options: SelectOptions) => Promise<Record<string, unknown>>;
}

const CANDIDATES = {
  'tensorflow-gpu': {
    packageName: NATIVE_PACKAGES['tensorflow-gpu'],
    tfName: 'tensorflow',
    load: (o) => importNative('tensorflow-gpu', o),
  },
  tensorflow: { packageName: NATIVE_PACKAGES.tensorflow, tfName: 'tensorflow', load: (o) => importNative('tensorflow', o) },
  // Imported literally so a bundle carries it.
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm', load: () => import('@tensorflow/tfjs-backend-wasm') },
  // @tensorflow/tfjs registers the pure-JS backend itself.
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu', load: () => Promise.resolve({}) },
} as const satisfies Record<ConcreteBackend, Candidate>;

export const WASM_DIR_ENV = 'PIPEBENCH_WASM_DIR';
const WASM_FILE = 'tfjs-backend-wasm.wasm';
const require = createRequire(import.meta.url);

export interface SelectOptions {
  /** Folder holding the tfjs-backend-wasm .wasm files; default: see wasmDir(). */
  readonly wasmDir?: string;
  /** Where the optional native packages are resolved from; default: beside this module. */
  readonly packagesFrom?: string;
}

/**
 * The native packages are optional and often absent: resolved at run time (a bundler never sees
 * the specifier), and "installed but its addon not built" told apart from "not installed".
 */
async function importNative(backend: NativeBackend, options: SelectOptions): Promise<Record<string, unknown>> {
  const packageName = NATIVE_PACKAGES[backend];
  const setup = `\`pipebench setup native${backend === 'tensorflow-gpu' ? ' --gpu' : ''}\``;
  const dir = installedPackageDir(packageName, options.packagesFrom);
  if (dir === null) throw new Error(`${packageName} is not installed (an optional dependency: run ${setup})`);
  if (!existsSync(addonPath(dir))) throw new Error(`${packageName} is installed but its native addon is not built (run ${setup})`);
  const main = createRequire(join(dir, 'package.json')).resolve(dir);
  return (await import(pathToFileURL(main).href)) as Record<string, unknown>;
}

/**
 * Sets the first backend that works (or the forced one) on `tf`. A forced choice that fails, or
 * 'auto' with nothing working, throws TargetUnavailableError naming each backend and its reason.
 */
export async function selectBackend(tf: Tf, choice: BackendChoice, options: SelectOptions = {}): Promise<SelectedBackend> {
  const order: readonly ConcreteBackend[] = choice === 'auto' ? AUTO_ORDER : [choice];
  const skipped: { backend: string; reason: string }[] = [];
  for (const backend of order) {
    try {
      return await tryBackend(tf, backend, choice === 'auto', options, skipped);
    } catch (error) {
      skipped.push({ backend, reason: skipReason(error) });
    }
  }
  const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new TargetUnavailableError(
    choice === 'auto' ? `no TF.js backend could start (${reasons})` : `TF.js backend "${choice}" is unavailable: ${reasons}`,
  );
}

/** Where the wasm files are: PIPEBENCH_WASM_DIR, else beside this (possibly bundled) file, else the package's dist/. */
export function wasmDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[WASM_DIR_ENV];
  if (override) return override;
  const beside = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(beside, WASM_FILE))) return beside;
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

async function tryBackend(
  tf: Tf,
  backend: ConcreteBackend,
  auto: boolean,
  options: SelectOptions,
  skipped: readonly { backend: string; reason: string }[],
): Promise<SelectedBackend> {
  const candidate: Candidate = CANDIDATES[backend];
  const loaded = await candidate.load(options);
  if (backend === 'wasm') {
    const dir = options.wasmDir ?? wasmDir();
    if (!existsSync(join(dir, WASM_FILE))) throw new Error(`${WASM_FILE} not found in ${dir} (set ${WASM_DIR_ENV})`);
    const setWasmPaths = loaded['setWasmPaths'] as (prefix: string) => void;
    setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
  }
  await setBackendOrThrow(tf, candidate.tfName);
  await checkTinyOp(tf);
  const gpu = backend === 'tensorflow-gpu' ? usesGpuDevice(tf) : false;
  const packageDir =
    backend === 'tensorflow' || backend === 'tensorflow-gpu' ? installedPackageDir(candidate.packageName, options.packagesFrom) : null;
  if (backend === 'tensorflow-gpu' && !gpu && !auto) {
    throw new Error(
      `the package loaded but TensorFlow found no GPU device (${noGpuHint(packageDir === null ? null : readManifest(packageDir))})`,
    );
  }
  const { threads, simd } = await parallelism(tf, backend, loaded);
  const native: NativeBackendInfo | null = packageDir === null ? null : nativeInfo(packageDir, bindingVersion(tf));
  return {
    name: candidate.tfName,
    package: candidate.packageName,
    version: packageVersion(candidate.packageName, tf, packageDir),
    threads,
    simd,
    gpu,
    skipped: [...skipped],
    ...(native && { native }),
  };
}

/** tf.setBackend only logs why an init failed; wrap the factory so the reason can be reported. */
async function setBackendOrThrow(tf: Tf, name: string): Promise<void> {
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`the package did not register a "${name}" backend`);
  let initError: unknown;
  const priority = 1;
  tf.removeBackend(name);
  tf.registerBackend(
    name,
    async () => {
      try {
        return await factory();
      } catch (error) {
        initError = error;
        throw error;
      }
    },
    priority,
  );
  const ok = await tf.setBackend(name);
  if (!ok) throw initError ?? new Error(`setBackend("${name}") returned false`);
}

/** A 2x2 matmul: the op every model here is made of, run and read back through the backend. */
async function checkTinyOp(tf: Tf): Promise<void> {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
  const values = Array.from(await product.data());
  product.dispose();
  if (values.join(',') !== '19,22,43,50') throw new Error(`a tiny matmul returned [${values.join(', ')}], expected [19, 22, 43, 50]`);
}

function usesGpuDevice(tf: Tf): boolean {
  const flag = (tf.backend() as unknown as { isUsingGpuDevice?: unknown }).isUsingGpuDevice;
  return flag === true;
}

/** The loaded TensorFlow C library's TF_Version(), which tfjs-node's binding exposes. */
function bindingVersion(tf: Tf): string | null {
  const version = (tf.backend() as unknown as { binding?: { TF_Version?: unknown } }).binding?.TF_Version;
  return typeof version === 'string' ? version : null;
}

async function parallelism(
  tf: Tf,
  backend: ConcreteBackend,
  loaded: Record<string, unknown>,
): Promise<{ threads: number | null; simd: boolean | null }> {
  if (backend === 'cpu') return { threads: 1, simd: false };
  if (backend !== 'wasm') return { threads: null, simd: null };
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const getThreadsCount = loaded['getThreadsCount'];
  const threads = multithread && typeof getThreadsCount === 'function' ? Number(getThreadsCount()) : 1;
  return { threads, simd };
}

function packageVersion(packageName: string, tf: Tf, packageDir: string | null): string {
  try {
    return (require(packageDir === null ? `${packageName}/package.json` : join(packageDir, 'package.json')) as { version: string }).version;
  } catch {
    // Bundled without node_modules: the backends are built from the same release as tfjs-core.
    return tf.version_core;
  }
}

/** Why a backend was skipped, in words a user can act on (an absent optional package is the usual one). */
function skipReason(error: unknown): string {
  return firstLine(toError(error).message);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
