/** Opens the target a workload names: its HTTP service, or the in-process models it needs. */
import type { Workload } from '../core/workload.js';
import { createHttpTarget } from '../targets/http/target.js';
import { modelCacheDir, modelSpec } from '../targets/inprocess/model-specs.js';
import { createInProcessTarget } from '../targets/inprocess/create-target.js';
import type { RunnerTarget } from './types.js';

/** `env`: where HTTP header values named by variable, and the model cache folder, are looked up. */
export function openWorkloadTarget(workload: Workload, env: Readonly<Record<string, string | undefined>>): Promise<RunnerTarget> {
  return workload.target.kind === 'http' ? createHttpTarget(workload.target, { env: { ...env } }) : openInProcessTarget(workload, env);
}

function openInProcessTarget(workload: Workload, env: Readonly<Record<string, string | undefined>>): Promise<RunnerTarget> {
  const needs = new Set(workload.stages.map((s) => s.stage));
  const cacheDir = modelCacheDir(env);
  const where = `${workload.source}: models`;
  const classify = needs.has('classify') || needs.has('pipeline');
  const generate = needs.has('generate') || needs.has('pipeline');
  return createInProcessTarget({
    backend: workload.engine.backend,
    instances: workload.engine.instances,
    models: {
      ...(classify && { classify: modelSpec(workload.models.classifier, 'intent-classifier', workload.models.size, cacheDir, where) }),
      ...(generate && { generate: modelSpec(workload.models.generator, 'prompt-generator', workload.models.size, cacheDir, where) }),
    },
  });
}
