/**
 * pipebench's server parameters in Triton's model configuration (model_config.proto field names):
 * maxBatchSize -> max_batch_size, maxQueueDelayMs -> dynamic_batching.max_queue_delay_microseconds,
 * preferredBatchSize -> dynamic_batching.preferred_batch_size, instances -> instance_group[].count.
 * One mapping for the load request's config JSON and the winner's config.pbtxt fragment.
 */
import type { ServerParams } from './server-config.js';

/** The parameters a Triton sweep may name. */
export const TRITON_PARAMS = ['maxBatchSize', 'maxQueueDelayMs', 'preferredBatchSize', 'instances'] as const;
export type TritonParam = (typeof TRITON_PARAMS)[number];

export interface TritonInstanceGroup {
  readonly count: number;
  readonly kind?: string;
  readonly [field: string]: unknown;
}

/** The ModelConfig fields a configuration sets (absent: the base config's, or Triton's default). */
export interface TritonConfigFields {
  readonly max_batch_size?: number;
  readonly dynamic_batching?: { readonly max_queue_delay_microseconds?: number; readonly preferred_batch_size?: readonly number[] };
  readonly instance_group?: readonly TritonInstanceGroup[];
}

const US_PER_MS = 1000;

/**
 * The configuration's fields over the base config: dynamic_batching and the first instance group
 * keep the base's other fields. Any dynamic_batching field switches the dynamic batcher on.
 */
export function tritonModelConfig(
  base: Readonly<Record<string, unknown>>,
  params: ServerParams,
): Record<string, unknown> & TritonConfigFields {
  const config: Record<string, unknown> = { ...base };
  if (params.maxBatchSize !== undefined) config.max_batch_size = params.maxBatchSize;
  if (params.maxQueueDelayMs !== undefined || params.preferredBatchSize !== undefined) {
    const batching: Record<string, unknown> = { ...objectField(base, 'dynamic_batching') };
    if (params.maxQueueDelayMs !== undefined) batching.max_queue_delay_microseconds = Math.round(params.maxQueueDelayMs * US_PER_MS);
    if (params.preferredBatchSize !== undefined) batching.preferred_batch_size = [params.preferredBatchSize];
    config.dynamic_batching = batching;
  }
  if (params.instances !== undefined) {
    const groups = Array.isArray(base.instance_group) ? (base.instance_group as Record<string, unknown>[]) : [];
    config.instance_group = [{ ...groups[0], count: params.instances }, ...groups.slice(1)];
  }
  return config;
}

function objectField(base: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> {
  const value = base[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
