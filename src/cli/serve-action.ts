/**
 * `pipebench serve`'s action: runs until SIGINT/SIGTERM, then drains in-flight requests, closes the
 * model instances and returns exit 0.
 */
import { startServer } from '../serve/server.js';
import { createInProcessTarget } from '../targets/inprocess/create-target.js';
import { parseChoiceFlag, parseIntFlag } from './flags.js';
import { modelCacheDir, modelSpec } from '../targets/inprocess/model-specs.js';
import type { CommandContext } from './context.js';
import { BACKENDS } from './run-flags.js';
import { MODEL_SIZES } from '../core/workload.js';
import { modelRef, parseBytesFlag, parseDurationOrZero, type ServeFlags } from './serve-flags.js';

export async function serveCommand(flags: ServeFlags, context: CommandContext): Promise<void> {
  const options = serveOptions(flags, context);
  const target = await createInProcessTarget(options.target);
  try {
    const server = await startServer({ ...options.server, target });
    context.io.stdout.write(`pipebench serve listening on ${server.url}\n`);
    context.io.stderr.write(`pipebench serve: ${target.info.description}; routes:\n${server.routes.map((r) => `  ${r}`).join('\n')}\n`);
    await untilAborted(context.signal);
    context.io.stderr.write('pipebench serve: stopping (draining in-flight requests)\n');
    await server.close();
  } finally {
    await target.close();
  }
}

function serveOptions(flags: ServeFlags, context: CommandContext) {
  const size = parseChoiceFlag('--model-size', flags.modelSize, MODEL_SIZES);
  const cacheDir = modelCacheDir(context.io.env);
  const maxInFlight = flags.maxInFlight === undefined ? undefined : parseIntFlag('--max-in-flight', flags.maxInFlight, 1);
  return {
    target: {
      backend: parseChoiceFlag('--backend', flags.backend, BACKENDS),
      instances: parseIntFlag('--instances', flags.instances, 1, 64),
      models: {
        classify: modelSpec(modelRef(flags.classifier, context.io.cwd), 'intent-classifier', size, cacheDir, '--classifier'),
        generate: modelSpec(modelRef(flags.generator, context.io.cwd), 'prompt-generator', size, cacheDir, '--generator'),
      },
    },
    server: {
      host: flags.host,
      port: parseIntFlag('--port', flags.port, 0, 65535),
      batching: {
        maxBatchSize: parseIntFlag('--max-batch-size', flags.maxBatchSize, 1, 4096),
        maxQueueDelayMs: parseDurationOrZero('--max-queue-delay', flags.maxQueueDelay),
        maxNewTokens: parseIntFlag('--max-new-tokens', flags.maxNewTokens, 1, 1024),
      },
      maxBodyBytes: parseBytesFlag('--max-body', flags.maxBody),
      addedLatencyMs: parseDurationOrZero('--added-latency', flags.addedLatency),
      ...(maxInFlight !== undefined && { maxInFlight }),
    },
  };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
