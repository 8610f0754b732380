/** Starts the in-process target: its model instances (worker threads or child processes), all or none. */
import { TargetUnavailableError } from '../../errors.js';
import { resolveIsolation } from './channel.js';
import { InstanceHost } from './instance-host.js';
import { InProcessTarget } from './target.js';
import { type InProcessOptions } from './target-options.js';

export async function createInProcessTarget(options: InProcessOptions): Promise<InProcessTarget> {
  if (!Number.isInteger(options.instances) || options.instances < 1) {
    throw new RangeError(`instances must be a positive integer, got ${options.instances}`);
  }
  const isolation = resolveIsolation(options.backend, options.isolation ?? 'auto');
  const target = new InProcessTarget(options);
  const started = await Promise.allSettled(
    Array.from({ length: options.instances }, (_, index) =>
      InstanceHost.start({ index, isolation, backend: options.backend, models: options.models, events: target }),
    ),
  );
  const hosts = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.host] : []));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const first = started[0];
  if (failure || first?.status !== 'fulfilled') {
    await Promise.all(hosts.map((h) => h.kill()));
    throw failure?.reason ?? new TargetUnavailableError('no model instance started');
  }
  target.attach(hosts, { ...first.value.backend, instances: options.instances, isolation }, first.value.modelInfos);
  return target;
}
