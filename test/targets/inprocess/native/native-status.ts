/**
 * Native-backend tests run only where `pipebench setup native` has built the addon. Elsewhere
 * (the README's Quick start on a fresh machine) they are skipped with the reason in their name;
 * with PIPEBENCH_REQUIRE_NATIVE=1 (CI) a missing addon is a failing test instead, so CI can
 * never pass with the native tests silently skipped.
 */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { addonPath, installedPackageDir, readManifest, type NativeManifest } from '../../../../src/targets/inprocess/native/manifest.js';

export const REQUIRE_NATIVE_ENV = 'PIPEBENCH_REQUIRE_NATIVE';

export type NativeStatus =
  | { readonly ready: true; readonly packageDir: string; readonly manifest: NativeManifest }
  | { readonly ready: false; readonly reason: string };

export function nativeStatus(): NativeStatus {
  const packageDir = installedPackageDir('@tensorflow/tfjs-node');
  if (packageDir === null) return { ready: false, reason: '@tensorflow/tfjs-node is not installed' };
  if (!existsSync(addonPath(packageDir))) return { ready: false, reason: "@tensorflow/tfjs-node's addon is not built" };
  const manifest = readManifest(packageDir);
  if (manifest === null) return { ready: false, reason: '@tensorflow/tfjs-node was not built by pipebench setup native' };
  return { ready: true, packageDir, manifest };
}

/** describe() when `status` is ready; else skipped with its reason, or failing under PIPEBENCH_REQUIRE_NATIVE=1. */
export function describeWhenReady(status: NativeStatus, name: string, body: () => void): void {
  if (status.ready) {
    describe(name, body);
  } else if (process.env[REQUIRE_NATIVE_ENV] === '1') {
    describe(name, () => {
      it(`has what it needs (${REQUIRE_NATIVE_ENV}=1)`, () => {
        throw new Error(`${status.reason}: run \`pipebench setup native\` before these tests`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${status.reason}; run \`pipebench setup native\`]`, body);
  }
}
