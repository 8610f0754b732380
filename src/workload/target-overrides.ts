/**
 * The k6-like quick flags over a workload's target and load: --target, --protocol, --concurrency,
 * --rate, --arrivals, --max-in-flight, --connections, --timeout, --no-unique-texts, --health and
 * --no-health. Each error names its field as `names` spells it (the CLI: the flag). Overrides win
 * over the file.
 */
import { InputError } from '../errors.js';
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { HTTP_DEFAULTS } from './defaults.js';
import { resolveHttpTarget } from './resolve-target.js';
import { applyServerMetricsOverrides } from './server-metrics-spec.js';
import { LIMITS } from './schema.js';
import { checkPathOrUrl, TARGET_LIMITS, TargetYamlSchema } from './target-schema.js';
import type { ArrivalProcess, HttpTargetSpec, LoadSpec, ProtocolName, StageSpec, Workload } from '../core/workload.js';
import { PROTOCOL_NAMES } from '../core/workload.js';

export interface TargetOverrides {
  /** Base URL of an HTTP target; replaces the file's URL, or turns an in-process workload into HTTP. */
  readonly targetUrl?: string;
  readonly protocol?: ProtocolName;
  /** Closed-loop levels for every stage; switches an open-loop file back to closed. */
  readonly concurrency?: readonly number[];
  /** Open-loop rates (requests/s); implies open load. */
  readonly ratesPerSec?: readonly number[];
  readonly arrivals?: ArrivalProcess;
  readonly maxInFlight?: number;
  readonly connections?: number;
  /** Sets both the headers and the body timeout. */
  readonly timeoutMs?: number;
  /** false = texts may repeat (measures a service's cache). */
  readonly uniqueTexts?: boolean;
  /** The one health route to check (a path or an http(s) URL), or false: no health check. */
  readonly health?: string | false;
  /** Metrics URLs to scrape; true: the target's own /metrics; false: none. */
  readonly serverMetrics?: readonly string[] | boolean;
  readonly serverMetricsIntervalMs?: number;
}

export function applyTargetOverrides(workload: Workload, o: TargetOverrides, names: OverrideNames = FIELD_NAMES): Workload {
  const converting = o.targetUrl !== undefined && workload.target.kind === 'inprocess';
  const target = overrideTarget(workload, o, names);
  const load = overrideLoad(workload.load, o, names);
  const http = target.kind === 'http';
  const stages = workload.stages.map((stage, index) => overrideStage(stage, index, o, http, names));
  const uniqueTexts = o.uniqueTexts ?? (converting ? HTTP_DEFAULTS.uniqueTexts : workload.corpus.uniqueTexts);
  return { ...workload, target, load, stages, corpus: { ...workload.corpus, uniqueTexts } };
}

function overrideTarget(workload: Workload, o: TargetOverrides, names: OverrideNames): Workload['target'] {
  const current = workload.target;
  if (current.kind === 'inprocess' && o.targetUrl === undefined) {
    for (const key of ['protocol', 'connections', 'timeoutMs', 'health', 'serverMetricsIntervalMs'] as const) {
      if (o[key] !== undefined)
        throw new InputError(
          names[key],
          `expected an HTTP target (give ${names.targetUrl} <url> or a workload with target:), got workload "${workload.name}" which runs in process`,
        );
    }
    if (o.serverMetrics !== undefined && o.serverMetrics !== false) {
      throw new InputError(
        names.serverMetrics,
        `expected an HTTP target (give ${names.targetUrl} <url> or a workload with target:), got workload "${workload.name}" which runs in process`,
      );
    }
    return current;
  }
  let spec: HttpTargetSpec = current.kind === 'http' ? current : fromFlags(o.targetUrl ?? '', o.protocol, names);
  if (o.targetUrl !== undefined && current.kind === 'http') spec = { ...spec, url: fromFlags(o.targetUrl, undefined, names).url };
  if (o.protocol !== undefined && o.protocol !== spec.protocol) spec = withProtocol(spec, o.protocol, names);
  if (o.connections !== undefined) {
    checkInt(names.connections, o.connections, 1, TARGET_LIMITS.maxConnections);
    spec = { ...spec, connections: o.connections };
  }
  if (o.timeoutMs !== undefined) {
    if (!(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0))
      throw new InputError(names.timeoutMs, `expected a positive duration, got ${o.timeoutMs} ms`);
    spec = { ...spec, timeouts: { ...spec.timeouts, headersMs: o.timeoutMs, bodyMs: o.timeoutMs } };
  }
  if (o.health !== undefined)
    spec = { ...spec, health: { routes: o.health === false ? [] : [checkedHealthRoute(o.health, names.health)], auto: false } };
  if (o.serverMetrics !== undefined || o.serverMetricsIntervalMs !== undefined) spec = applyServerMetricsOverrides(spec, o, names);
  return spec;
}

/** --health PATH, checked by the workload's own rule for target.health. */
function checkedHealthRoute(route: string, where: string): string {
  const checked = checkPathOrUrl(route);
  if (typeof checked === 'string') return checked;
  throw new InputError(where, `expected a path starting with "/" or an http(s) URL: ${checked.problem}`);
}

/** A target from the flags alone: the URL checked by the workload's own rules. */
function fromFlags(url: string, protocol: ProtocolName | undefined, names: OverrideNames): HttpTargetSpec {
  const parsed = TargetYamlSchema.safeParse({ url, ...(protocol !== undefined && { protocol }) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0] === 'url' ? names.targetUrl : names.protocol;
    throw new InputError(flag, issue?.message ?? 'invalid target');
  }
  return resolveHttpTarget(parsed.data);
}

/**
 * Another protocol: its own options with defaults (the file's block was for the old one), and its
 * default health routes unless the file chose its own.
 */
function withProtocol(spec: HttpTargetSpec, protocol: ProtocolName, names: OverrideNames): HttpTargetSpec {
  if (!(PROTOCOL_NAMES as readonly string[]).includes(protocol)) {
    throw new InputError(names.protocol, `expected one of ${PROTOCOL_NAMES.join(', ')}, got "${protocol}"`);
  }
  if (protocol === 'template') {
    throw new InputError(
      names.protocol,
      'expected betterprompts, kserve-v2 or openai: the template protocol needs a target.template block (body, output) in a workload file',
    );
  }
  const fresh = resolveHttpTarget({ url: spec.url, protocol });
  return { ...spec, protocol, options: fresh.options, health: spec.health.auto ? fresh.health : spec.health };
}

function overrideLoad(load: LoadSpec, o: TargetOverrides, names: OverrideNames): LoadSpec {
  if (o.concurrency !== undefined && o.ratesPerSec !== undefined) {
    throw new InputError(
      names.concurrency,
      `expected either ${names.concurrency} (closed loop) or ${names.ratesPerSec} (open loop), got both`,
    );
  }
  if (o.concurrency !== undefined) {
    for (const key of ['arrivals', 'maxInFlight'] as const) {
      if (o[key] !== undefined)
        throw new InputError(
          names[key],
          `expected ${names.ratesPerSec} with it (it shapes an open loop), got ${names.concurrency} (closed loop)`,
        );
    }
    return { kind: 'closed' };
  }
  if (o.ratesPerSec !== undefined) {
    const rates = checkedList(
      names.ratesPerSec,
      o.ratesPerSec,
      (rate) => Number.isFinite(rate) && rate > 0 && rate <= TARGET_LIMITS.maxRatePerSec,
      `rates above 0 and up to ${TARGET_LIMITS.maxRatePerSec} requests/s`,
    );
    const arrivals = o.arrivals ?? (load.kind === 'open' ? load.arrivals : 'constant');
    const maxInFlight = o.maxInFlight ?? (load.kind === 'open' ? load.maxInFlight : null);
    if (o.maxInFlight !== undefined) checkInt(names.maxInFlight, o.maxInFlight, 1, TARGET_LIMITS.maxInFlight);
    return { kind: 'open', arrivals: checkedArrivals(arrivals, names.arrivals), ratesPerSec: rates, maxInFlight };
  }
  if (load.kind === 'closed') {
    for (const key of ['arrivals', 'maxInFlight'] as const) {
      if (o[key] !== undefined)
        throw new InputError(
          names[key],
          `expected ${names.ratesPerSec} (or a workload with load.rates) with it, got a closed-loop workload`,
        );
    }
    return load;
  }
  if (o.maxInFlight !== undefined) checkInt(names.maxInFlight, o.maxInFlight, 1, TARGET_LIMITS.maxInFlight);
  return {
    ...load,
    arrivals: checkedArrivals(o.arrivals ?? load.arrivals, names.arrivals),
    maxInFlight: o.maxInFlight ?? load.maxInFlight,
  };
}

function overrideStage(stage: StageSpec, index: number, o: TargetOverrides, http: boolean, names: OverrideNames): StageSpec {
  if (http && stage.mode === 'static') {
    const flag = o.targetUrl !== undefined ? names.targetUrl : names.stages;
    throw new InputError(
      flag,
      `expected dynamic batching for an HTTP target, got stages[${index}] (${stage.stage}) in static mode (an in-process batcher setting)`,
    );
  }
  if (o.concurrency === undefined) return stage;
  const levels = checkedList(
    names.concurrency,
    o.concurrency,
    (level) => Number.isInteger(level) && level >= 1 && level <= LIMITS.maxConcurrency,
    `integers from 1 to ${LIMITS.maxConcurrency}`,
  );
  return { ...stage, concurrency: levels };
}

function checkedArrivals(arrivals: string, where: string): ArrivalProcess {
  if (arrivals !== 'constant' && arrivals !== 'poisson') throw new InputError(where, `expected constant or poisson, got "${arrivals}"`);
  return arrivals;
}

/** Non-empty, each value valid, unique; returned ascending (steps run in that order). */
function checkedList(where: string, values: readonly number[], valid: (value: number) => boolean, what: string): number[] {
  if (values.length === 0) throw new InputError(where, `expected at least one value (${what}), got none`);
  const seen = new Set<number>();
  for (const value of values) {
    if (!valid(value)) throw new InputError(where, `expected ${what}, got ${value}`);
    if (seen.has(value)) throw new InputError(where, `expected unique values, got ${value} twice`);
    seen.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function checkInt(where: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max))
    throw new InputError(where, `expected an integer from ${min} to ${max}, got ${value}`);
}
