/**
 * Optional abilities a target may have beyond the Target seam, each a small interface with a guard
 * the runner checks at start-up (like supportsStaticBatches in target.ts), never a method that
 * throws "not supported".
 */
import type { TfMemory } from '../core/report/telemetry.js';
import type { Stage } from '../core/stage.js';
import type { InFlightGauge } from '../metrics/in-flight.js';
import type { Target } from './target.js';

/** HTTP targets with connections "auto": size the pools for the plan's peak in-flight count. */
export interface PoolSizing {
  setConnections(connections: number): Promise<void>;
}

export function sizesPools(target: Target): target is Target & PoolSizing {
  return typeof (target as Partial<PoolSizing>).setConnections === 'function';
}

/**
 * HTTP targets: what a step's load will use, readied before its clock starts without sending a
 * request (the connections for `sends` requests in flight open), so the step's first requests do
 * not pay for it inside the measured time.
 */
export interface LoadPreparation {
  prepareLoad(stage: Stage, sends: number): Promise<void>;
}

export function preparesLoad(target: Target): target is Target & LoadPreparation {
  return typeof (target as Partial<LoadPreparation>).prepareLoad === 'function';
}

/**
 * HTTP targets: requests on the wire (written to a connection, not yet answered), time-weighted. What
 * the server really had in flight: a request waiting for a connection or for the event loop is not.
 */
export interface WireInFlight {
  readonly wireInFlight: InFlightGauge;
}

export function countsWireInFlight(target: Target): target is Target & WireInFlight {
  return (target as Partial<WireInFlight>).wireInFlight !== undefined;
}

/** In-process targets: tf.memory() summed over the model instances (null when they do not answer). */
export interface TfMemoryProbe {
  tfMemory(): Promise<TfMemory | null>;
}

export function probesTfMemory(target: Target): target is Target & TfMemoryProbe {
  return typeof (target as Partial<TfMemoryProbe>).tfMemory === 'function';
}

/** The first detail seen per error class (HTTP: redacted), for the run's warnings. */
export interface ErrorDetails {
  readonly errorDetails: ReadonlyMap<string, string>;
}

export function reportsErrorDetails(target: Target): target is Target & ErrorDetails {
  return (target as Partial<ErrorDetails>).errorDetails instanceof Map;
}

/** HTTP targets: each protocol notice (an answer accepted despite a deviation) and how many responses had it. */
export interface ProtocolNotices {
  readonly notices: ReadonlyMap<string, number>;
}

export function reportsNotices(target: Target): target is Target & ProtocolNotices {
  return (target as Partial<ProtocolNotices>).notices instanceof Map;
}
