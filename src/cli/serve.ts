/**
 * `pipebench serve`: the built-in models behind HTTP (BetterPrompts, KServe v2 and OpenAI routes),
 * a reference server to benchmark the HTTP target against. Flags and help here; the action
 * (serve-action.ts) is imported when it runs.
 */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { BACKENDS } from './run-flags.js';
import { MODEL_SIZES } from '../core/workload.js';
import type { ServeFlags } from './serve-flags.js';

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
    .option('--model-size <size>', `built-in model size: ${MODEL_SIZES.join(' | ')}`, 'small')
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
      const { serveCommand } = await import('./serve-action.js');
      await serveCommand(flags, context);
    });
}
