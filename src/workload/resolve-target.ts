/** `target:` and `load:` as written -> their resolved specs, defaults filled in. Pure. */
import type { Stage } from '../core/stage.js';
import { HTTP_DEFAULTS } from './defaults.js';
import { resolveServerMetrics } from './server-metrics-spec.js';
import type { LoadYaml, TargetYaml } from './target-schema.js';
import type { AuthSpec, HeaderValue, HealthSpec, HttpTargetSpec, LoadSpec, ProtocolName, ProtocolOptions } from '../core/workload.js';

export function resolveHttpTarget(yaml: TargetYaml): HttpTargetSpec {
  const protocol = yaml.protocol ?? HTTP_DEFAULTS.protocol;
  const health = yaml.health === undefined ? defaultHealth(protocol) : { routes: yaml.health === false ? [] : [yaml.health], auto: false };
  return {
    kind: 'http',
    url: yaml.url,
    protocol,
    endpoints: { ...yaml.endpoints },
    connections: yaml.connections ?? 'auto',
    pipelining: yaml.pipelining ?? HTTP_DEFAULTS.pipelining,
    timeouts: {
      connectMs: yaml.timeouts?.connect ?? HTTP_DEFAULTS.timeouts.connectMs,
      headersMs: yaml.timeouts?.headers ?? HTTP_DEFAULTS.timeouts.headersMs,
      bodyMs: yaml.timeouts?.body ?? HTTP_DEFAULTS.timeouts.bodyMs,
    },
    retries: yaml.retries ?? 0,
    maxResponseBytes: yaml.maxResponseBytes ?? HTTP_DEFAULTS.maxResponseBytes,
    headers: Object.fromEntries(Object.entries(yaml.headers ?? {}).map(([name, value]) => [name, headerValue(value)])),
    auth: authSpec(yaml.auth),
    health,
    options: protocolOptions(protocol, yaml),
    ...(yaml.serverMetrics !== undefined && { serverMetrics: resolveServerMetrics(yaml.serverMetrics) }),
  };
}

/** The protocol's health routes, tried in turn (see HealthSpec). */
export function defaultHealth(protocol: ProtocolName): HealthSpec {
  return { routes: HTTP_DEFAULTS.healthRoutes[protocol], auto: true };
}

/** A target's protocol and per-protocol block when only the protocol changed (the --protocol flag). */
export function defaultProtocolOptions(protocol: ProtocolName): ProtocolOptions | undefined {
  return protocol === 'template' ? undefined : protocolOptions(protocol, {});
}

export function resolveLoad(yaml: LoadYaml | undefined): LoadSpec {
  const arrivals = yaml?.arrivals ?? (yaml?.rates === undefined ? 'closed' : 'constant');
  if (arrivals === 'closed' || yaml?.rates === undefined) return { kind: 'closed' };
  return { kind: 'open', arrivals, ratesPerSec: yaml.rates, maxInFlight: yaml.maxInFlight ?? null };
}

function headerValue(value: string | { readonly env: string }): HeaderValue {
  return typeof value === 'string' ? { value } : { env: value.env };
}

function authSpec(auth: TargetYaml['auth']): AuthSpec | null {
  if (auth === undefined) return null;
  if ('bearerTokenEnv' in auth) return { kind: 'bearer-env', tokenEnv: auth.bearerTokenEnv };
  return { kind: 'login', url: auth.login.url, usernameEnv: auth.login.usernameEnv, passwordEnv: auth.login.passwordEnv };
}

function stageModels(models: Partial<Record<Stage, string>> | undefined): Readonly<Record<Stage, string>> {
  return { ...HTTP_DEFAULTS.stageModels, ...models };
}

type ProtocolBlocks = Pick<TargetYaml, 'betterprompts' | 'kserve' | 'openai' | 'template'>;

function protocolOptions(protocol: ProtocolName, yaml: ProtocolBlocks): ProtocolOptions {
  switch (protocol) {
    case 'betterprompts': {
      const block = yaml.betterprompts;
      const generate = HTTP_DEFAULTS.betterprompts.generate;
      return {
        protocol,
        classifyApi: block?.classifyApi ?? 'intents',
        torchserveModel: block?.torchserveModel ?? HTTP_DEFAULTS.betterprompts.torchserveModel,
        generate: {
          intent: block?.generate?.intent ?? generate.intent,
          complexity: block?.generate?.complexity ?? generate.complexity,
          techniques: block?.generate?.techniques ?? generate.techniques,
          targetModel: block?.generate?.targetModel ?? generate.targetModel,
        },
      };
    }
    case 'kserve-v2':
      return {
        protocol,
        models: stageModels(yaml.kserve?.models),
        inputName: yaml.kserve?.inputName ?? 'text',
        outputName: yaml.kserve?.outputName ?? null,
      };
    case 'openai':
      return {
        protocol,
        models: stageModels(yaml.openai?.models),
        api: yaml.openai?.api ?? 'completions',
        stream: yaml.openai?.stream ?? true,
      };
    case 'template': {
      // The schema requires the block for this protocol; the fallback only satisfies the type.
      const block = yaml.template ?? { body: '{{text}}', output: '' };
      return {
        protocol,
        method: block.method ?? 'POST',
        body: block.body,
        outputPath: block.output,
        serverTime: block.serverTime ? { path: block.serverTime.path, unit: block.serverTime.unit ?? 'ms' } : null,
      };
    }
  }
}
