/** tf.memory() of a target's model instances, summed only when every live one answers in time. */
import type { TfMemory } from '../../core/report/telemetry.js';
import type { InstanceHost } from './instance-host.js';

/**
 * Null when no instance is alive or any of them does not answer within `timeoutMs` (a long batch
 * holds the answer back): a sum over some instances would look like tensors freed, or leaked.
 */
export async function liveTfMemory(hosts: readonly InstanceHost[], timeoutMs: number): Promise<TfMemory | null> {
  const live = hosts.filter((h) => h.isAlive);
  if (live.length === 0) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const all = Promise.all(live.map((h) => h.memory())).then(
    (memories) =>
      memories.reduce((sum, m) => ({ numTensors: sum.numTensors + m.numTensors, numBytes: sum.numBytes + m.numBytes }), {
        numTensors: 0,
        numBytes: 0,
      }),
    () => null,
  );
  try {
    return await Promise.race([all, late]);
  } finally {
    clearTimeout(timer);
  }
}
