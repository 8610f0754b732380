/**
 * deploy/kubernetes/: every manifest validates against the Kubernetes API schema of its resource
 * (kubernetes-models' validators, generated from the API's OpenAPI document), and the pieces fit
 * together: an Indexed Job whose parallelism, completions and PIPEBENCH_SHARDS agree, the merge Job
 * reading the folder the shards write to, on the claim and ConfigMap that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes');

interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [field: string]: unknown;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'batch/v1 Job': Job,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'v1 ConfigMap': ConfigMap,
};

function validate(resource: Resource): void {
  const Model = MODELS[`${resource.apiVersion} ${resource.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${resource.apiVersion} ${resource.kind}`);
  new Model(resource as never).validate();
}

const manifests = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => ({ name, resource: parse(readFileSync(join(DIR, name), 'utf8')) as Resource }));
const byName = (name: string): Resource => {
  const found = manifests.find((m) => m.resource.metadata.name === name);
  if (found === undefined) throw new Error(`no manifest named ${name}`);
  return found.resource;
};

type Container = {
  image: string;
  args: string[];
  env?: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
};
type PodSpec = {
  containers: Container[];
  volumes: { name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string } }[];
};
const podOf = (job: Resource): PodSpec => (job['spec'] as { template: { spec: PodSpec } }).template.spec;
const envOf = (container: Container, name: string): string | undefined => container.env?.find((e) => e.name === name)?.value;

describe('deploy/kubernetes manifests', () => {
  it.each(manifests.map((m) => [m.name, m.resource] as const))('%s validates against the Kubernetes API schema', (_name, resource) => {
    expect(() => validate(resource)).not.toThrow();
  });

  it('the validator refuses what the API server would (a wrong completionMode, a count that is not a number)', () => {
    const shards = byName('pipebench-shards');
    const spec = shards['spec'] as Record<string, unknown>;
    expect(() => validate({ ...shards, spec: { ...spec, completionMode: 'Indexd' } })).toThrow(/completionMode/);
    expect(() => validate({ ...shards, spec: { ...spec, parallelism: 'four' } })).toThrow(/parallelism/);
  });

  it('an Indexed Job of N shards, and a merge Job reading what they write, on volumes that exist', () => {
    const shards = byName('pipebench-shards');
    const spec = shards['spec'] as { completionMode: string; parallelism: number; completions: number };
    expect(spec.completionMode).toBe('Indexed');
    const shard = podOf(shards).containers[0]!;
    expect(spec.parallelism).toBe(spec.completions);
    expect(Number(envOf(shard, 'PIPEBENCH_SHARDS'))).toBe(spec.completions);
    expect(Number.isNaN(Date.parse(envOf(shard, 'PIPEBENCH_START_AT') ?? ''))).toBe(false);
    expect(shard.args.join(' ')).toContain('--out /reports/$(RUN_NAME)/shard-$(JOB_COMPLETION_INDEX)');

    const merge = podOf(byName('pipebench-merge')).containers[0]!;
    expect(merge.image).toBe(shard.image);
    expect(merge.args.slice(0, 2)).toEqual(['merge', '/reports/$(RUN_NAME)']);
    expect(envOf(merge, 'RUN_NAME')).toBe(envOf(shard, 'RUN_NAME'));

    const claim = byName('pipebench-reports');
    expect(claim.kind).toBe('PersistentVolumeClaim');
    expect((claim['spec'] as { accessModes: string[] }).accessModes).toContain('ReadWriteMany');
    for (const job of [shards, byName('pipebench-merge')])
      expect(podOf(job).volumes.find((v) => v.name === 'reports')?.persistentVolumeClaim?.claimName).toBe('pipebench-reports');
    const configMap = podOf(shards).volumes.find((v) => v.name === 'workload')?.configMap?.name;
    expect(byName(configMap ?? '').kind).toBe('ConfigMap');
  });
});
