/**
 * `pipebench serve`: the built-in models behind HTTP (BetterPrompts, KServe v2 and OpenAI routes),
 * a reference server to benchmark the HTTP target against. Runs until SIGINT/SIGTERM, then drains
 * in-flight requests, closes the model instances and returns exit 0.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { startServer } from '../serve/server.js';
import { createInProcessTarget } from '../targets/inprocess/create-target.js';
import type { BackendChoice, ModelRef, ModelSize } from '../core/workload.js';
import { parseChoiceFlag, parseDurationFlag, parseIntFlag } from './flags.js';
import { modelCacheDir, modelSpec } from '../targets/inprocess/model-specs.js';
import type { CommandContext } from './context.js';

const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendChoice[];
const SIZES = ['small', 'base'] as const satisfies readonly ModelSize[];
const BYTE_UNITS = { '': 1, b: 1, kb: 1e3, mb: 1e6, kib: 1024, mib: 1024 ** 2 } as const satisfies Record<string, number>;

interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly backend: string;
  readonly instances: string;
  readonly maxBatchSize: string;
  readonly maxQueueDelay: string;
  readonly maxNewTokens: string;
  readonly modelSize: string;
  readonly classifier: string;
  readonly generator: string;
  readonly maxBody: string;
  readonly maxInFlight?: string;
  readonly addedLatency: string;
}

/** "1MiB", "512KiB", "2000000" (bytes). */
function parseBytesFlag(flag: string, raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = match?.[2]?.toLowerCase() ?? '';
  if (!match || !Object.hasOwn(BYTE_UNITS, unit))
    throw new InputError(flag, `expected a size such as "1MiB", "512KiB" or a number of bytes, got "${raw}"`);
  const bytes = Math.floor(Number(match[1]) * BYTE_UNITS[unit as keyof typeof BYTE_UNITS]);
  if (bytes < 1) throw new InputError(flag, `expected at least 1 byte, got "${raw}"`);
  return bytes;
}

/** A duration where 0 means "none". */
function parseDurationOrZero(flag: string, raw: string): number {
  return /^\s*0+(\.0+)?\s*(ms|s)?\s*$/.test(raw) ? 0 : parseDurationFlag(flag, raw);
}

function modelRef(value: string, cwd: string): ModelRef {
  return value === 'builtin' ? {} : { dir: resolve(cwd, value) };
}

export function registerServeCommand(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description('Serve the built-in models over HTTP (BetterPrompts, KServe v2, OpenAI routes) until SIGINT/SIGTERM.')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', '8301')
    .option('--backend <name>', `TF.js backend: ${BACKENDS.join(' | ')}`, 'auto')
    .option('--instances <n>', 'model instances (worker threads or processes)', '1')
    .option('--max-batch-size <n>', 'dynamic batcher: largest model call', '16')
    .option('--max-queue-delay <d>', 'dynamic batcher: longest wait to fill a batch', '2ms')
    .option('--max-new-tokens <n>', 'tokens the generator decodes per item (OpenAI max_tokens only caps what is returned)', '16')
    .option('--model-size <size>', `built-in model size: ${SIZES.join(' | ')}`, 'small')
    .option('--classifier <dir>', 'classifier model folder, or "builtin"', 'builtin')
    .option('--generator <dir>', 'generator model folder, or "builtin"', 'builtin')
    .option('--max-body <bytes>', 'largest request body; larger ones get 413', '1MiB')
    .option('--max-in-flight <n>', 'concurrent model requests; beyond it 503 with Retry-After: 1 (default: no limit)')
    .option('--added-latency <ms>', 'sleep before answering each model request (an injected, known slowdown)', '0')
    .addHelpText(
      'after',
      `
Routes:
  BetterPrompts  POST /api/v1/intents/classify[/batch], /api/v1/generate[/batch], /api/v1/enhance,
                 POST /predictions/intent_classifier, GET /ping, /api/v1/health, /health
  KServe v2      POST /v2/models/{intent-classifier|prompt-generator|enhance}/infer,
                 GET /v2/health/ready, /v2/health/live, /v2/models/<name>
  OpenAI         POST /v1/completions, /v1/chat/completions (stream: true -> SSE), GET /v1/models
  Prometheus     GET /metrics
Once listening, stdout gets one line: pipebench serve listening on http://<host>:<port>

Examples:
  pipebench serve --port 0 --backend wasm
  pipebench serve --max-in-flight 8 --added-latency 50ms`,
    )
    .action(async (flags: ServeFlags) => {
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
    });
}

function serveOptions(flags: ServeFlags, context: CommandContext) {
  const size = parseChoiceFlag('--model-size', flags.modelSize, SIZES);
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
