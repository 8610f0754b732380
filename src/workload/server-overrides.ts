/**
 * The server sweep's overrides (--server-launch, --server-param, --server-health): the common case
 * of a `server:` block without writing one, or a workload's block changed. Checked by the same
 * schema as the YAML form, so the rules and messages are the same; errors name the override.
 */
import { InputError } from '../errors.js';
import type { Workload } from '../core/workload.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { resolveServer, ServerYamlSchema, urlNamesPort, type ServerYaml } from './server-schema.js';

export interface ServerOverrides {
  /** The launch template (replaces server.launch, or starts a server: block). */
  readonly serverLaunch?: string;
  /** Value lists per parameter; each replaces (or adds) that parameter's list. */
  readonly serverParams?: Readonly<Record<string, readonly number[]>>;
  readonly serverHealth?: string;
}

export function applyServerOverrides(workload: Workload, o: ServerOverrides, names: OverrideNames = FIELD_NAMES): Workload {
  if (o.serverLaunch === undefined && o.serverParams === undefined && o.serverHealth === undefined) return workload;
  const current = workload.server;
  const triton = o.serverLaunch === undefined && current?.kind === 'triton' ? current : undefined;
  const launch = o.serverLaunch ?? (current?.kind === 'launch' ? current.command : undefined);
  if (launch === undefined && triton === undefined)
    throw new InputError(
      names.serverLaunch,
      `expected a launch template with ${names.serverParams} and ${names.serverHealth} (the workload has no server: block), got none`,
    );
  const yaml = {
    ...(triton
      ? { triton: { url: triton.url, model: triton.model, config: triton.baseConfig, unload: triton.unloadAtEnd } }
      : { launch, health: o.serverHealth ?? (current?.kind === 'launch' ? current.healthPath : undefined) }),
    params: { ...current?.params, ...o.serverParams },
    ...(current && { readyTimeout: current.readyTimeoutMs, search: current.searchAxis ?? false }),
    ...(current?.kind === 'launch' && { stopGrace: current.stopGraceMs, passEnv: current.passEnv }),
  };
  const checked = ServerYamlSchema.safeParse(yaml);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path[0] === 'params' ? names.serverParams : issue?.path[0] === 'health' ? names.serverHealth : names.serverLaunch;
    throw new InputError(field, issue?.message ?? 'invalid');
  }
  const target = workload.target;
  if (target.kind !== 'http')
    throw new InputError(
      names.serverLaunch,
      `expected an HTTP target (${names.targetUrl} http://127.0.0.1) with a launched server, got the in-process models`,
    );
  if (triton === undefined && urlNamesPort(target.url))
    throw new InputError(
      names.targetUrl,
      `expected a URL without a port with a launched server (its free port is used), got ${target.url}`,
    );
  return { ...workload, server: resolveServer(checked.data as ServerYaml) };
}
