import { describe, expect, it } from 'vitest';
import { tritonModelConfig } from '../../src/core/triton-config.js';

describe("tritonModelConfig: pipebench's parameter names in Triton's model config", () => {
  it('maps each parameter to its model_config.proto field, the queue delay in microseconds', () => {
    expect(tritonModelConfig({}, { maxBatchSize: 32, maxQueueDelayMs: 2.5, preferredBatchSize: 16, instances: 2 })).toEqual({
      max_batch_size: 32,
      dynamic_batching: { max_queue_delay_microseconds: 2500, preferred_batch_size: [16] },
      instance_group: [{ count: 2 }],
    });
  });

  it("keeps the base config's other fields, in dynamic_batching and the first instance group too", () => {
    const base = {
      backend: 'onnxruntime',
      dynamic_batching: { preserve_ordering: true, max_queue_delay_microseconds: 1 },
      instance_group: [
        { kind: 'KIND_GPU', gpus: [0] },
        { kind: 'KIND_CPU', count: 1 },
      ],
    };
    expect(tritonModelConfig(base, { maxQueueDelayMs: 5, instances: 3 })).toEqual({
      backend: 'onnxruntime',
      dynamic_batching: { preserve_ordering: true, max_queue_delay_microseconds: 5000 },
      instance_group: [
        { kind: 'KIND_GPU', gpus: [0], count: 3 },
        { kind: 'KIND_CPU', count: 1 },
      ],
    });
    expect(base.dynamic_batching.max_queue_delay_microseconds).toBe(1);
  });

  it('a parameter not swept leaves its field to the base config', () => {
    expect(tritonModelConfig({ max_batch_size: 8 }, { instances: 1 })).toEqual({ max_batch_size: 8, instance_group: [{ count: 1 }] });
  });
});
