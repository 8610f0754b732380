/**
 * The YAML form of `server:` (issue 15): how to launch the served model for one batching
 * configuration, and the parameter lists to sweep. Same rules as schema.ts: strict objects,
 * "expected X, got Y" messages naming the field, units converted, defaults applied by resolveServer.
 */
import { z } from 'zod';
import { templatePlaceholders, type ServerSpec } from '../core/server-config.js';
import { checkTritonServer, resolveTriton, TritonYamlSchema } from './server-triton-schema.js';
import { durationMs, expected, strictObject, text } from './schema-kit.js';

export const SERVER_DEFAULTS = { healthPath: '/health', readyTimeoutMs: 60_000, stopGraceMs: 5_000, searchAxis: 'maxBatchSize' } as const;
/** Largest number of configurations a parameter grid may hold (each one is a server launch). */
export const MAX_SERVER_CONFIGS = 10_000;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const paramValues = z
  .array(z.number({ error: expected('a number >= 0') }).min(0, { error: expected('a number >= 0') }), {
    error: expected('a list of values such as [1, 8, 32]'),
  })
  .min(1, { error: expected('at least one value') })
  .superRefine((values, ctx) => {
    values.forEach((value, index) => {
      const earlier = values.indexOf(value);
      if (earlier !== index)
        ctx.addIssue({
          code: 'custom',
          path: [index],
          input: value,
          message: `expected unique values, got ${value} again (already at index ${earlier})`,
        });
    });
  });

export const ServerYamlSchema = strictObject({
  launch: text('a command template such as "pipebench serve --port {port} --max-batch-size {maxBatchSize}"').optional(),
  triton: TritonYamlSchema.optional(),
  health: text('a path starting with "/" such as /health')
    .refine((value) => value.startsWith('/'), { error: expected('a path starting with "/" such as /health') })
    .optional(),
  params: z.record(z.string(), paramValues, { error: expected('a mapping of parameter lists such as { maxBatchSize: [1, 8, 32] }') }),
  readyTimeout: durationMs().optional(),
  stopGrace: durationMs({ allowZero: true }).optional(),
  passEnv: z
    .array(z.string().regex(ENV_NAME, { error: expected('an environment variable name') }), {
      error: expected('a list of environment variable names'),
    })
    .optional(),
  search: z.union([z.literal(false), z.string()], { error: expected('a parameter name or false') }).optional(),
}).superRefine((server, ctx) => {
  if (server.triton !== undefined) checkTritonServer(server, ctx);
  else if (server.launch === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['launch'],
      input: undefined,
      message: 'expected a launch command template or a triton: block (model control of a running Triton), got neither',
    });
  const placeholders = templatePlaceholders(server.launch ?? '');
  if (server.launch !== undefined && !placeholders.includes('port')) {
    ctx.addIssue({
      code: 'custom',
      path: ['launch'],
      input: server.launch,
      message: `expected a command template with {port} in it (pipebench picks a free port), got "${server.launch}"`,
    });
  }
  const names = Object.keys(server.params);
  if (names.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['params'],
      input: server.params,
      message: 'expected at least one parameter list such as { maxBatchSize: [1, 8, 32] }, got none',
    });
  for (const name of placeholders) {
    if (name !== 'port' && !names.includes(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['launch'],
        input: server.launch,
        message: `expected every {placeholder} to be {port} or a parameter in server.params, got {${name}} (params: ${names.join(', ') || 'none'})`,
      });
    }
  }
  for (const name of names) {
    if (!PARAM_NAME.test(name))
      ctx.addIssue({
        code: 'custom',
        path: ['params', name],
        input: name,
        message: `expected a parameter name of letters, digits and _ (it is a {placeholder}), got "${name}"`,
      });
    else if (name === 'port')
      ctx.addIssue({
        code: 'custom',
        path: ['params', name],
        input: name,
        message: 'expected a parameter other than port (pipebench picks the port), got port',
      });
    else if (server.launch !== undefined && !placeholders.includes(name))
      ctx.addIssue({
        code: 'custom',
        path: ['params', name],
        input: name,
        message: `expected {${name}} in server.launch (a parameter the command never receives changes nothing), got a launch without it`,
      });
  }
  const configs = Object.values(server.params).reduce((n, values) => n * values.length, 1);
  if (configs > MAX_SERVER_CONFIGS)
    ctx.addIssue({
      code: 'custom',
      path: ['params'],
      input: configs,
      message: `expected at most ${MAX_SERVER_CONFIGS} configurations, got ${configs}`,
    });
  if (typeof server.search === 'string' && !names.includes(server.search)) {
    ctx.addIssue({
      code: 'custom',
      path: ['search'],
      input: server.search,
      message: `expected a parameter in server.params or false, got "${server.search}"`,
    });
  }
});

export type ServerYaml = z.output<typeof ServerYamlSchema>;

export function resolveServer(yaml: ServerYaml): ServerSpec {
  const names = Object.keys(yaml.params);
  const searchAxis =
    yaml.search === false ? null : (yaml.search ?? (names.includes(SERVER_DEFAULTS.searchAxis) ? SERVER_DEFAULTS.searchAxis : null));
  const readyTimeoutMs = yaml.readyTimeout ?? SERVER_DEFAULTS.readyTimeoutMs;
  if (yaml.triton !== undefined) return resolveTriton(yaml.triton, yaml.params, readyTimeoutMs, searchAxis);
  return {
    kind: 'launch',
    command: yaml.launch ?? '',
    healthPath: yaml.health ?? SERVER_DEFAULTS.healthPath,
    params: yaml.params,
    readyTimeoutMs,
    stopGraceMs: yaml.stopGrace ?? SERVER_DEFAULTS.stopGraceMs,
    passEnv: yaml.passEnv ?? [],
    searchAxis,
  };
}

/** A target URL written without a port (the launched server's port is filled in). */
export function urlNamesPort(url: string): boolean {
  return new URL(url).port !== '';
}

/** `server:` launches the HTTP service the run measures: it needs a target URL with no port, and runs its own search. */
export function checkServerWorkload(
  workload: { target?: { url: string } | undefined; scenario?: unknown; search?: boolean | undefined; server?: { triton?: unknown } },
  ctx: z.RefinementCtx,
): void {
  const launched = workload.server?.triton === undefined;
  if (workload.target === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['server'],
      input: undefined,
      message:
        'expected a target (such as { url: http://127.0.0.1, protocol: kserve-v2 }) with server:, got none: the launched server is an HTTP target',
    });
  } else if (launched && urlNamesPort(workload.target.url)) {
    ctx.addIssue({
      code: 'custom',
      path: ['target', 'url'],
      input: workload.target.url,
      message: `expected a URL without a port with server: (the launched server's free port is used), got ${workload.target.url}`,
    });
  }
  if (workload.scenario !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['server'],
      input: undefined,
      message: 'expected no server: in a scenario workload (a server sweep measures steps, a scenario drives stages), got both',
    });
  if (workload.search === true)
    ctx.addIssue({
      code: 'custom',
      path: ['search'],
      input: true,
      message: 'expected no search: true with server: (server.search picks the searched parameter), got true',
    });
}
