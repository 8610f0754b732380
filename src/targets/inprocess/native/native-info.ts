/**
 * What a native backend runs on, read inside the model instance once the backend is set: the
 * loaded library's TF_Version(), the CUDA and cuDNN it was built for (from setup's manifest),
 * and the devices TensorFlow lists (from setup's probe addon).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NativeBackendInfo, NativeDevice } from '../../../core/report/environment.js';
import { PROBE_PATH, readManifest, type NativeManifest } from './manifest.js';

const require = createRequire(import.meta.url);

interface ProbeResult {
  readonly tensorflowVersion: string;
  readonly devices: readonly NativeDevice[];
  readonly error?: string;
}

/** Lists the devices through setup's probe addon; null when it is not there or fails. */
export function probeDevices(packageDir: string): readonly NativeDevice[] | null {
  const path = join(packageDir, PROBE_PATH);
  if (!existsSync(path)) return null;
  try {
    const probe = (require(path) as { probe(): ProbeResult }).probe();
    return probe.error === undefined ? probe.devices : null;
  } catch {
    return null;
  }
}

export function nativeInfo(packageDir: string | null, bindingVersion: string | null): NativeBackendInfo {
  const manifest = packageDir === null ? null : readManifest(packageDir);
  return {
    tensorflowVersion: bindingVersion ?? manifest?.tensorflow.version ?? null,
    cudaBuild: manifest?.tensorflow.cudaBuild ?? null,
    cudaVersion: manifest?.tensorflow.cudaVersion ?? null,
    cudnnVersion: manifest?.tensorflow.cudnnVersion ?? null,
    devices: packageDir === null ? null : probeDevices(packageDir),
    builtFrom: manifest ? `pipebench setup native from ${manifest.source.description}` : null,
  };
}

/** Why a loaded tensorflow-gpu package found no GPU, in terms of the library that was actually built. */
export function noGpuHint(manifest: NativeManifest | null): string {
  if (manifest === null) {
    return 'its TensorFlow library was not built by `pipebench setup native --gpu`, so what CUDA it needs is unknown';
  }
  const tf = manifest.tensorflow;
  if (!tf.cudaBuild) {
    return `it was built against a CPU-only TensorFlow (${tf.distribution} ${tf.version}); run \`pipebench setup native --gpu\` with a GPU build of TensorFlow`;
  }
  const path = manifest.libraryPath.length > 0 ? `; the library path setup recorded: ${manifest.libraryPath.join(':')}` : '';
  return `TensorFlow ${tf.version} needs an NVIDIA driver and the CUDA ${tf.cudaVersion ?? '?'} and cuDNN ${tf.cudnnVersion ?? '?'} libraries it was built for${path}`;
}
