/**
 * The environment of a process that may load a native TensorFlow: TF_CPP_MIN_LOG_LEVEL=2 (its
 * start-up INFO and WARNING lines stay out of stderr) unless the user set it, and the library
 * folders setup recorded (pip's nvidia-*-cu12 libraries) ahead of LD_LIBRARY_PATH. The dynamic
 * loader reads LD_LIBRARY_PATH once, at process start: it must be set for the child, not later.
 */
import { NATIVE_PACKAGES, installedPackageDir, readManifest } from './manifest.js';

export const LOG_LEVEL_ENV = 'TF_CPP_MIN_LOG_LEVEL';
const QUIET_LOG_LEVEL = '2';

export function nativeChildEnv(base: NodeJS.ProcessEnv, libraryPath: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, [LOG_LEVEL_ENV]: base[LOG_LEVEL_ENV] ?? QUIET_LOG_LEVEL };
  const existing = (base['LD_LIBRARY_PATH'] ?? '').split(':').filter((dir) => dir !== '');
  const added = libraryPath.filter((dir) => !existing.includes(dir));
  if (added.length > 0) env['LD_LIBRARY_PATH'] = [...added, ...existing].join(':');
  return env;
}

/** The library folders recorded by setup for every native package installed (GPU first, as 'auto' tries it first). */
export function installedLibraryPath(fromDir?: string): string[] {
  const dirs: string[] = [];
  for (const packageName of [NATIVE_PACKAGES['tensorflow-gpu'], NATIVE_PACKAGES.tensorflow]) {
    const packageDir = installedPackageDir(packageName, fromDir);
    const manifest = packageDir === null ? null : readManifest(packageDir);
    for (const dir of manifest?.libraryPath ?? []) if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs;
}

/**
 * TensorFlow 2.21 logs two lines through absl before its logging is initialised, whatever
 * TF_CPP_MIN_LOG_LEVEL says ("WARNING: All log messages before absl::InitializeLog() ..." and an
 * INFO line about oneDNN). Lines like these are start-up noise, never the reason a child ended.
 */
export function isTensorFlowNoise(line: string): boolean {
  return /^WARNING: All log messages before absl::InitializeLog\(\)/.test(line) || /^[IW]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] /.test(line);
}
