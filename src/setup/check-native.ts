/**
 * `pipebench setup native --check`: reports whether the native backend is ready, changing
 * nothing. Ready means the package is installed, its addon built, and a child process can run it.
 */
import { existsSync } from 'node:fs';
import { toError } from '../errors.js';
import {
  addonPath,
  installedPackageDir,
  NATIVE_PACKAGES,
  readManifest,
  type NativeManifest,
} from '../targets/inprocess/native/manifest.js';
import { SetupError } from './setup-error.js';
import { nativeBackendOf } from './setup-native.js';
import { verifyNative, type Verification, type VerifyOptions } from './verify.js';

export type CheckOutcome =
  | { readonly ready: true; readonly packageDir: string; readonly manifest: NativeManifest | null; readonly verification: Verification }
  | { readonly ready: false; readonly problem: string; readonly fix: string };

export async function checkNative(gpu: boolean, projectDir: string, options: VerifyOptions): Promise<CheckOutcome> {
  const backend = nativeBackendOf(gpu);
  const packageName = NATIVE_PACKAGES[backend];
  const setupCommand = `pipebench setup native${gpu ? ' --gpu' : ''}`;
  const packageDir = installedPackageDir(packageName, projectDir);
  if (packageDir === null) return { ready: false, problem: `${packageName} is not installed`, fix: `run ${setupCommand}` };
  if (!existsSync(addonPath(packageDir)))
    return { ready: false, problem: `${packageName} is installed but its native addon is not built`, fix: `run ${setupCommand}` };
  try {
    return { ready: true, packageDir, manifest: readManifest(packageDir), verification: await verifyNative(backend, options) };
  } catch (error) {
    if (error instanceof SetupError) return { ready: false, problem: error.problem, fix: error.fix };
    return { ready: false, problem: toError(error).message, fix: `run ${setupCommand} again` };
  }
}
