/**
 * `server.triton:` (issue 15): a Triton already running with --model-control-mode=explicit. Each
 * configuration is a load of `model` with a config override; the swept parameters are pipebench's
 * names for Triton's fields (core/triton-config.ts). Launch-only keys are refused with it.
 */
import { z } from 'zod';
import type { TritonServerSpec } from '../core/server-config.js';
import { TRITON_PARAMS } from '../core/triton-config.js';
import { expected, strictObject, text } from './schema-kit.js';

export const TritonYamlSchema = strictObject({
  url: text("the running Triton's HTTP URL such as http://127.0.0.1:8000").refine(isHttpUrl, {
    error: expected("the running Triton's HTTP URL such as http://127.0.0.1:8000"),
  }),
  model: text('a model name in Triton\'s repository such as "intent"'),
  config: z
    .record(z.string(), z.unknown(), { error: expected('a mapping of model configuration fields such as { backend: onnxruntime }') })
    .optional(),
  unload: z.boolean({ error: expected('true or false') }).optional(),
});

export type TritonYaml = z.output<typeof TritonYamlSchema>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const LAUNCH_ONLY = ['launch', 'health', 'stopGrace', 'passEnv'] as const;

/** The rules a triton: block adds: no launch-only keys, only Triton's parameters, max_batch_size not set twice. */
export function checkTritonServer(
  server: { readonly triton?: TritonYaml; readonly params: Record<string, unknown> } & Partial<
    Record<(typeof LAUNCH_ONLY)[number], unknown>
  >,
  ctx: z.RefinementCtx,
): void {
  for (const key of LAUNCH_ONLY)
    if (server[key] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [key],
        input: server[key],
        message: `expected no ${key} with triton: (Triton is already running; pipebench loads the model), got one`,
      });
  for (const name of Object.keys(server.params))
    if (!(TRITON_PARAMS as readonly string[]).includes(name))
      ctx.addIssue({
        code: 'custom',
        path: ['params', name],
        input: name,
        message: `expected one of ${TRITON_PARAMS.join(', ')} with triton:, got "${name}"`,
      });
  if (server.triton?.config?.max_batch_size !== undefined && server.params.maxBatchSize !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['triton', 'config', 'max_batch_size'],
      input: server.triton.config.max_batch_size,
      message: 'expected no max_batch_size in triton.config while params.maxBatchSize sweeps it, got one',
    });
}

export function resolveTriton(
  yaml: TritonYaml,
  params: Readonly<Record<string, readonly number[]>>,
  readyTimeoutMs: number,
  searchAxis: string | null,
): TritonServerSpec {
  return {
    kind: 'triton',
    url: yaml.url.replace(/\/+$/, ''),
    model: yaml.model,
    baseConfig: yaml.config ?? {},
    params,
    readyTimeoutMs,
    unloadAtEnd: yaml.unload ?? false,
    searchAxis,
  };
}
