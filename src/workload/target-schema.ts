/**
 * The YAML form of `target:` (an HTTP service instead of in-process models) and `load:` (closed
 * or open loop). Same rules as schema.ts: strict objects, "expected X, got Y" messages, units
 * converted, defaults left to resolve-target.ts.
 */
import { z } from 'zod';

import { PROTOCOL_NAMES } from '../core/workload.js';
import { choice, durationMs, expected, intBetween, scalar, strictObject, text } from './schema-kit.js';
import { describeValue, parseBytes } from './units.js';
import { ServerMetricsYamlSchema } from './server-metrics-spec.js';
import { parseWorkerCount, WORKERS_EXPECTED } from './workers.js';

export const TARGET_LIMITS = {
  maxConnections: 65_536,
  maxPipelining: 1024,
  maxRetries: 100,
  maxRatePerSec: 1_000_000,
  maxInFlight: 1_000_000,
  minResponseBytes: 1024,
  maxResponseBytes: 2 ** 40,
} as const;

/** Where each URL field's credentials belong instead, for the message that refuses them in the URL. */
const CREDENTIALS_GO = {
  service: 'use target.auth or target.headers with { env: NAME }',
  login: 'put the username and password in the environment variables that usernameEnv and passwordEnv name',
} as const;

/** http(s) only, no credentials (they would land in reports), no query or fragment; messages never repeat user:password or a query. */
function checkServiceUrl(raw: string, credentialsGo: string): string | { readonly problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `expected an http:// or https:// URL such as http://127.0.0.1:8301, got ${describeValue(raw)}` };
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `expected an http:// or https:// URL, got a ${url.protocol} URL` };
  }
  if (url.username !== '' || url.password !== '') {
    // The message must not repeat the credentials it refuses.
    return { problem: `expected a URL without credentials (${credentialsGo}), got credentials in ${shown}` };
  }
  // A query often carries a key (?api_key=...): name the URL without it.
  if (url.search !== '' || url.hash !== '')
    return { problem: `expected a URL without query or fragment (put keys in target.headers), got one in ${shown}` };
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The URL check as a schema issue. `continue: true` marks it as a near miss: inside a union (auth,
 * health) zod then reports this branch's own message and field instead of "expected A or B, got
 * <the URL>", which would name the branch wrongly and repeat the credentials.
 */
function urlIssue(checked: { readonly problem: string }): z.core.$ZodRawIssue {
  return { code: 'custom', message: checked.problem, input: '<url>', continue: true };
}

const serviceUrl = z.string({ error: expected('an http:// or https:// URL') }).transform((raw, ctx) => {
  const checked = checkServiceUrl(raw, CREDENTIALS_GO.service);
  if (typeof checked === 'string') return checked;
  ctx.issues.push(urlIssue(checked));
  return z.NEVER;
});

/** A path on the target ("/api/v1/health") as written, or a full http(s) URL checked like target.url. */
export function checkPathOrUrl(raw: string, credentialsGo: string = CREDENTIALS_GO.service): string | { readonly problem: string } {
  return raw.startsWith('/') ? raw : checkServiceUrl(raw, credentialsGo);
}

/** checkPathOrUrl inside a schema: the value, or its problem as this field's issue. */
function pathOrUrlValue(raw: string, ctx: z.RefinementCtx, credentialsGo: string): string {
  const checked = checkPathOrUrl(raw, credentialsGo);
  if (typeof checked === 'string') return checked;
  ctx.issues.push(urlIssue(checked));
  return z.NEVER;
}

const pathOrUrl = (what: string, credentialsGo: string) =>
  text(`${what}: a path starting with "/" or an http(s) URL`).transform((raw, ctx) => pathOrUrlValue(raw, ctx, credentialsGo));

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = text('an environment variable name such as API_KEY').regex(ENV_NAME, {
  error: expected('an environment variable name (letters, digits, _) such as API_KEY'),
});

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerValue = z.union([z.string(), strictObject({ env: envName })], {
  error: expected('a string or { env: NAME } (the value read from an environment variable at run time)'),
});
const headers = z.record(z.string(), headerValue, { error: expected('a mapping of header names to values') }).superRefine((map, ctx) => {
  for (const name of Object.keys(map)) {
    if (!HEADER_NAME.test(name))
      ctx.addIssue({
        code: 'custom',
        path: [name],
        input: name,
        message: `expected a header name (letters, digits, -), got ${describeValue(name)}`,
      });
  }
});

const auth = z.union(
  [
    strictObject({ bearerTokenEnv: envName }),
    strictObject({
      login: strictObject({ url: pathOrUrl('the login endpoint', CREDENTIALS_GO.login), usernameEnv: envName, passwordEnv: envName }),
    }),
  ],
  { error: expected('{ bearerTokenEnv: NAME } or { login: { url, usernameEnv, passwordEnv } }') },
);

const stageModels = strictObject({
  classify: text('a model name').optional(),
  generate: text('a model name').optional(),
  pipeline: text('a model name').optional(),
});

const betterprompts = strictObject({
  classifyApi: choice(['intents', 'torchserve']).optional(),
  torchserveModel: text('a TorchServe model name').optional(),
  generate: strictObject({
    intent: text('an intent name').optional(),
    complexity: text('a complexity such as moderate').optional(),
    techniques: z
      .array(text('a technique name'), { error: expected('a list of technique names') })
      .min(1, { error: expected('at least one technique') })
      .optional(),
    targetModel: text('a target model name').optional(),
  }).optional(),
});

const kserve = strictObject({
  models: stageModels.optional(),
  inputName: text('an input tensor name').optional(),
  outputName: z
    .union([text('an output tensor name'), z.null()], { error: expected('an output tensor name or null (the first output)') })
    .optional(),
});

const openai = strictObject({
  models: stageModels.optional(),
  api: choice(['completions', 'chat']).optional(),
  stream: z.boolean({ error: expected('true or false') }).optional(),
});

const template = strictObject({
  method: choice(['POST', 'PUT']).optional(),
  body: text('a JSON body template with {{text}} or {{texts}}').refine((body) => body.includes('{{text}}') || body.includes('{{texts}}'), {
    error: expected('a body template containing {{text}} or {{texts}}'),
  }),
  output: text('a dotted path to the output, e.g. outputs or result.label'),
  serverTime: strictObject({ path: text('a dotted path to the server time'), unit: choice(['ms', 's']).optional() }).optional(),
});

/** The options block each protocol reads; any other block is an error naming it. */
export const PROTOCOL_BLOCKS = {
  betterprompts: 'betterprompts',
  'kserve-v2': 'kserve',
  openai: 'openai',
  template: 'template',
} as const satisfies Record<(typeof PROTOCOL_NAMES)[number], string>;

const bytes = scalar(`a size from ${TARGET_LIMITS.minResponseBytes} bytes such as 16MiB, 512KB or a number of bytes`, (raw) => {
  const value = parseBytes(raw);
  return value !== undefined && value >= TARGET_LIMITS.minResponseBytes && value <= TARGET_LIMITS.maxResponseBytes ? value : undefined;
});

export const TargetYamlSchema = strictObject({
  url: serviceUrl,
  protocol: choice(PROTOCOL_NAMES).optional(),
  endpoints: strictObject({ classify: serviceUrl.optional(), generate: serviceUrl.optional(), pipeline: serviceUrl.optional() }).optional(),
  connections: scalar(`"auto" or an integer from 1 to ${TARGET_LIMITS.maxConnections}`, (raw) =>
    raw === 'auto' || (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= TARGET_LIMITS.maxConnections)
      ? raw
      : undefined,
  ).optional(),
  pipelining: intBetween(1, TARGET_LIMITS.maxPipelining).optional(),
  timeouts: strictObject({ connect: durationMs().optional(), headers: durationMs().optional(), body: durationMs().optional() }).optional(),
  retries: intBetween(0, TARGET_LIMITS.maxRetries).optional(),
  maxResponseBytes: bytes.optional(),
  headers: headers.optional(),
  auth: auth.optional(),
  // Checked after the union: a URL refused for its credentials gets that reason, not the union's generic one.
  health: z
    .union([z.literal(false), text('a path such as /api/v1/health, an http(s) URL, or false')], {
      error: expected('a path such as /api/v1/health, an http(s) URL, or false'),
    })
    .transform((raw, ctx) => (raw === false ? false : pathOrUrlValue(raw, ctx, CREDENTIALS_GO.service)))
    .optional(),
  serverMetrics: ServerMetricsYamlSchema.optional(),
  betterprompts: betterprompts.optional(),
  kserve: kserve.optional(),
  openai: openai.optional(),
  template: template.optional(),
}).superRefine((target, ctx) => {
  const protocol = target.protocol ?? 'betterprompts';
  const own = PROTOCOL_BLOCKS[protocol];
  for (const [name, block] of Object.entries(PROTOCOL_BLOCKS)) {
    if (block !== own && target[block] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [block],
        input: block,
        message: `expected no ${block} block with protocol ${protocol} (only its own block, ${own}, applies), got one (it is for protocol ${name})`,
      });
    }
  }
  if (protocol === 'template' && target.template === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['template'],
      input: undefined,
      message: 'expected a template block ({ body, output }) with protocol template, got none',
    });
  }
});

const rateError = expected(`a rate in requests per second, above 0 and up to ${TARGET_LIMITS.maxRatePerSec}`);
const rate = z.number({ error: rateError }).positive({ error: rateError }).max(TARGET_LIMITS.maxRatePerSec, { error: rateError });

export const ARRIVALS = ['closed', 'constant', 'poisson'] as const;

export const LoadYamlSchema = strictObject({
  arrivals: choice(ARRIVALS).optional(),
  rates: z
    .array(rate, { error: expected('a list of rates in requests per second such as [10, 20, 40]') })
    .min(1, { error: expected('at least one rate') })
    .superRefine((rates, ctx) => {
      const seen = new Map<number, number>();
      rates.forEach((value, index) => {
        const earlier = seen.get(value);
        if (earlier === undefined) seen.set(value, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: [index],
            input: value,
            message: `expected unique rates, got ${value} again (already at index ${earlier})`,
          });
      });
    })
    .transform((rates) => [...rates].sort((a, b) => a - b))
    .optional(),
  maxInFlight: intBetween(1, TARGET_LIMITS.maxInFlight).optional(),
  workers: scalar(WORKERS_EXPECTED, parseWorkerCount).optional(),
}).superRefine((load, ctx) => {
  const arrivals = load.arrivals ?? (load.rates === undefined ? 'closed' : 'constant');
  if (arrivals === 'closed') {
    if (load.rates !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rates'],
        input: load.rates,
        message:
          'expected no rates with closed-loop arrivals (stage concurrency sets the load), got a list; use arrivals: constant or poisson',
      });
    if (load.maxInFlight !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['maxInFlight'],
        input: load.maxInFlight,
        message: `expected no maxInFlight with closed-loop arrivals (it caps an open loop), got ${load.maxInFlight}`,
      });
  } else if (load.rates === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['rates'],
      input: undefined,
      message: `expected rates (requests per second such as [10, 20, 40]) with ${arrivals} arrivals, got none`,
    });
  }
});

export type TargetYaml = z.output<typeof TargetYamlSchema>;
export type LoadYaml = z.output<typeof LoadYamlSchema>;
