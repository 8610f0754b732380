/** The text `pipebench setup native` prints when it is done, or what --check found. Pure. */
import { formatBytes, formatDevices, formatMs } from '../format.js';
import type { NativeBackendInfo } from '../core/report/environment.js';
import type { NativeManifest } from '../targets/inprocess/native/manifest.js';
import type { CheckOutcome } from './check-native.js';
import type { SetupOutcome } from './setup-native.js';
import type { Verification } from './verify.js';

export function renderSetupOutcome(outcome: SetupOutcome, tookMs: number): string {
  const { manifest } = outcome;
  const lines = [
    `pipebench setup native: ${manifest.package} ${manifest.packageVersion} ${outcome.rebuilt ? 'built' : 'was already built'} against ${libraryLine(manifest)}`,
    ...manifestLines(manifest, outcome.packageDir),
    verificationLine(outcome.verification),
    ...outcome.warnings.map((warning) => `  warning: ${warning}`),
    `  took ${formatMs(tookMs)}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function renderCheckOutcome(outcome: CheckOutcome): string {
  if (!outcome.ready) return `pipebench setup native --check: not ready: ${outcome.problem}; ${outcome.fix}\n`;
  const { manifest, verification } = outcome;
  const what =
    manifest === null
      ? `${verification.backend.package} ${verification.backend.version} (not built by pipebench setup native)`
      : `${manifest.package} ${manifest.packageVersion}, built against ${libraryLine(manifest)}`;
  return (
    [
      `pipebench setup native --check: ready: ${what}`,
      ...(manifest ? manifestLines(manifest, outcome.packageDir) : []),
      verificationLine(verification),
    ].join('\n') + '\n'
  );
}

function libraryLine(manifest: NativeManifest): string {
  const tf = manifest.tensorflow;
  const cuda = tf.cudaBuild ? `CUDA ${tf.cudaVersion ?? '?'}, cuDNN ${tf.cudnnVersion ?? '?'}` : 'CPU-only build';
  return `TensorFlow ${tf.version} (${tf.distribution}, ${cuda})`;
}

function manifestLines(manifest: NativeManifest, packageDir: string): string[] {
  return [
    `  from: ${manifest.source.description}`,
    `  libraries: ${formatBytes(manifest.libraryBytes)} in ${packageDir}/deps/lib (stripped from ${formatBytes(manifest.unstrippedBytes)})`,
    ...(manifest.libraryPath.length > 0 ? [`  library path for its child processes: ${manifest.libraryPath.join(':')}`] : []),
  ];
}

function verificationLine(verification: Verification): string {
  return `  verified in a child process: matmul ok, classified ${verification.labels.length} texts (${verification.labels.join(', ')}); ${devicesText(verification.backend.native)}`;
}

function devicesText(native: NativeBackendInfo | undefined): string {
  const devices = native?.devices;
  if (!devices) return 'devices unknown (no probe)';
  return `TensorFlow ${native.tensorflowVersion ?? '?'} sees ${formatDevices(devices)}`;
}
