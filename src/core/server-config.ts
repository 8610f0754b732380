/**
 * A served model's batching configuration swept by the run (issue 15): how to bring the server up
 * for one configuration (a launch command template, or a model load on a running Triton), and the
 * parameter lists crossed into configurations. The YAML form is `server:` (workloads/README.md);
 * workload/server-schema.ts checks it.
 */

/** One configuration: a value per parameter, e.g. { maxBatchSize: 8, maxQueueDelayMs: 5 }. */
export type ServerParams = Readonly<Record<string, number>>;

export interface LaunchServerSpec {
  readonly kind: 'launch';
  /** Command template run by /bin/sh with {port} and a {name} per parameter substituted. */
  readonly command: string;
  /** Path polled on the launched port until it answers 2xx. */
  readonly healthPath: string;
  /** Values per parameter, in the order written; configurations are their cross product. */
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** How long a launched server may take to answer its health route. */
  readonly readyTimeoutMs: number;
  /** After SIGTERM, how long before the process group gets SIGKILL. */
  readonly stopGraceMs: number;
  /** Environment variables copied from pipebench's own environment (besides PATH, HOME, LANG, TMPDIR). */
  readonly passEnv: readonly string[];
  /**
   * The parameter searched by doubling then bisection (throughput rises with it while the batcher
   * fills); the others are enumerated. null: every configuration is run (a grid).
   */
  readonly searchAxis: string | null;
}

/** A Triton already running with --model-control-mode=explicit: each configuration is a model (re)load with a config override. */
export interface TritonServerSpec {
  readonly kind: 'triton';
  /** Triton's HTTP origin, e.g. http://127.0.0.1:8000. */
  readonly url: string;
  /** The model to load, as named in Triton's model repository. */
  readonly model: string;
  /** Model configuration fields sent with every load (backend, inputs, ...); the swept fields are set over them. */
  readonly baseConfig: Readonly<Record<string, unknown>>;
  /** Values per parameter: only TRITON_PARAMS. */
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** How long the model may take to answer GET /v2/models/<model>/ready with 200 after its load. */
  readonly readyTimeoutMs: number;
  /** Unload the model once the sweep is done. */
  readonly unloadAtEnd: boolean;
  readonly searchAxis: string | null;
}

export type ServerSpec = LaunchServerSpec | TritonServerSpec;

/** Placeholders in a launch template: {port} and {name}. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function templatePlaceholders(command: string): string[] {
  return [...new Set([...command.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/**
 * The command line for one configuration (values are numbers, so substitution cannot inject shell
 * syntax). port null keeps {port}: the winner's command line, to run on a port of your choosing.
 */
export function renderLaunchCommand(command: string, port: number | null, params: ServerParams): string {
  return command.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'port') return port === null ? whole : String(port);
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The cross product of the parameter lists, the last parameter varying fastest. */
export function serverConfigurations(params: LaunchServerSpec['params']): ServerParams[] {
  let configs: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(params))
    configs = configs.flatMap((config) => values.map((value) => ({ ...config, [name]: value })));
  return configs;
}

/** "maxBatchSize=8 maxQueueDelayMs=5": a configuration's label in logs, warnings and file names. */
export function serverConfigLabel(params: ServerParams): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/** Same parameters, same values (compare and --resume pair steps by it). */
export function sameServerConfig(a: ServerParams | undefined, b: ServerParams | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
