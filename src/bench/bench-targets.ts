/**
 * The in-process targets a bench compares: one per backend asked for, each with the built-in
 * intent classifier in one instance. A backend that cannot start here is reported with its
 * reason instead of ending the bench (the native ones need `pipebench setup native`).
 */
import { toError } from '../errors.js';
import type { ModelSpec } from '../models/types.js';
import type { BackendChoice } from '../core/workload.js';
import { createInProcessTarget } from '../targets/inprocess/create-target.js';
import type { InProcessTarget } from '../targets/inprocess/target.js';

export const CLASSIFIER: ModelSpec = { kind: 'builtin', name: 'intent-classifier', size: 'small', cacheDir: '.cache' };
const CHOICES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];

export interface BenchTargets {
  readonly started: readonly { readonly backend: BackendChoice; readonly target: InProcessTarget }[];
  readonly skipped: readonly { readonly backend: string; readonly reason: string }[];
}

export function parseBackends(raw: string): BackendChoice[] {
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(CHOICES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--backends: unknown ${unknown.join(', ')} (one of ${CHOICES.join(', ')})`);
  return names as BackendChoice[];
}

export async function startBenchTargets(backends: readonly BackendChoice[]): Promise<BenchTargets> {
  const started: { backend: BackendChoice; target: InProcessTarget }[] = [];
  const skipped: { backend: string; reason: string }[] = [];
  for (const backend of backends) {
    try {
      started.push({ backend, target: await createInProcessTarget({ backend, instances: 1, models: { classify: CLASSIFIER } }) });
    } catch (error) {
      skipped.push({ backend, reason: toError(error).message });
    }
  }
  return { started, skipped };
}

export async function closeBenchTargets(targets: BenchTargets): Promise<void> {
  await Promise.all(targets.started.map(({ target }) => target.close()));
}
