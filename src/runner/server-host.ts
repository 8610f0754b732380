/**
 * How a server sweep brings up one configuration, per kind of `server:` (issue 15): launch a
 * command on the run's port, or load the model into a running Triton with a config override. The
 * sweep (modes/server-config.ts) sees only up / down and the facts it records.
 */
import { join } from 'node:path';
import {
  renderLaunchCommand,
  type LaunchServerSpec,
  type ServerParams,
  type ServerSpec,
  type TritonServerSpec,
} from '../core/server-config.js';
import type { ServerConfigRun } from '../core/report/server-sweep.js';
import { tritonModelConfig } from '../core/triton-config.js';
import { launchServer, logTail, ServerLaunchError } from '../targets/http/server-launch/launch-server.js';
import { loadModel, loadRequestBody, TritonModelError, unloadModel, untilModelReady } from '../targets/http/triton/model-control.js';

/** A configuration that could not be brought up, or went wrong while up: why, its log tail, how it stopped. */
export interface ServerProblem {
  readonly failure: string;
  readonly logTail: readonly string[];
  readonly stop: ServerConfigRun['stop'];
}

export interface ServerUp {
  /** Non-null once the server stopped serving on its own (a crash mid-step). */
  crashed(): string | null;
  /** Takes the configuration down: how it stopped, and a problem when that (or a crash before it) costs the configuration. */
  down(): Promise<{ readonly stop: ServerConfigRun['stop']; readonly problem: ServerProblem | null }>;
}

export interface ServerHost {
  /** What is run for a configuration, recorded in report.json. */
  command(params: ServerParams): string;
  /** Brings it up and waits until it is ready; a problem when it never was. `logPath`: absolute. */
  up(params: ServerParams, logPath: string, signal: AbortSignal | undefined): Promise<ServerUp | ServerProblem>;
  /** After the last configuration: a warning, or null. */
  finish(): Promise<string | null>;
}

export interface HostOptions {
  /** The run's target URL (a launch uses its port). */
  readonly targetUrl: string;
  /** pipebench's environment (a launch passes a clean part of it). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function serverHost(spec: ServerSpec, options: HostOptions): ServerHost {
  return spec.kind === 'launch' ? launchHost(spec, options) : tritonHost(spec);
}

export function isServerUp(value: ServerUp | ServerProblem): value is ServerUp {
  return 'down' in value;
}

function launchHost(spec: LaunchServerSpec, options: HostOptions): ServerHost {
  const port = Number(new URL(options.targetUrl).port);
  const command = (params: ServerParams) => renderLaunchCommand(spec.command, port, params);
  return {
    command,
    async up(params, logPath, signal) {
      try {
        const server = await launchServer({
          command: command(params),
          healthUrl: `http://127.0.0.1:${port}${spec.healthPath}`,
          logPath,
          readyTimeoutMs: spec.readyTimeoutMs,
          stopGraceMs: spec.stopGraceMs,
          env: options.env,
          passEnv: spec.passEnv,
          ...(signal && { signal }),
        });
        return {
          crashed: () => server.exitedWith(),
          async down() {
            const crashed = server.exitedWith();
            const stop = await server.stop();
            const failure = stopProblem(crashed, stop.outcome, spec.stopGraceMs);
            const problem = failure === null ? null : { failure, logTail: await logTail(logPath), stop: stop.outcome };
            return { stop: stop.outcome, problem };
          },
        };
      } catch (error) {
        if (!(error instanceof ServerLaunchError)) throw error;
        return { failure: error.reason, logTail: error.logTail, stop: 'terminated' };
      }
    },
    finish: async () => null,
  };
}

/** Why a launched configuration counts as failed; null when its server ran and stopped cleanly. */
function stopProblem(crashed: string | null, stop: 'terminated' | 'killed' | 'left', graceMs: number): string | null {
  if (crashed !== null) return `server exited (${crashed}) while its steps ran`;
  if (stop === 'killed') return `server ignored SIGTERM: its process group was killed after the ${graceMs} ms grace`;
  if (stop === 'left') return 'processes of its group were still there after SIGKILL';
  return null;
}

/** Triton stays up between configurations: the next load replaces the model's config, so down() has nothing to stop. */
function tritonHost(spec: TritonServerSpec): ServerHost {
  const target = { url: spec.url, model: spec.model };
  let loaded = false;
  return {
    command: (params) =>
      `POST ${spec.url}/v2/repository/models/${encodeURIComponent(spec.model)}/load ${loadRequestBody(tritonModelConfig(spec.baseConfig, params))}`,
    async up(params, logPath, signal) {
      try {
        await loadModel(target, tritonModelConfig(spec.baseConfig, params), logPath);
        loaded = true;
        await untilModelReady(target, spec.readyTimeoutMs, logPath, signal);
        return { crashed: () => null, down: async () => ({ stop: null, problem: null }) };
      } catch (error) {
        if (!(error instanceof TritonModelError)) throw error;
        return { failure: error.reason, logTail: await logTail(logPath), stop: null };
      }
    },
    finish: async () => (spec.unloadAtEnd && loaded ? unloadModel(target) : null),
  };
}

/** A configuration's log, relative to the report folder, and its absolute path. */
export function serverLogPaths(outDir: string, params: ServerParams): { readonly relative: string; readonly absolute: string } {
  const name = Object.entries(params)
    .map(([param, value]) => `${param}-${value}`)
    .join('_');
  const relative = `servers/${name}.log`;
  return { relative, absolute: join(outDir, relative) };
}
