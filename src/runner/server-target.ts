/**
 * A server sweep's workload as the run uses it: target.url names no port in the file, so the free
 * port picked for the run's launched servers goes in; the target's own health preflight is off
 * (the launcher waits for server.health on every launch, before any request is sent). A Triton
 * sweep keeps its URL; its preflight is off too (the model is loaded per configuration, then polled ready).
 */
import type { Workload } from '../core/workload.js';
import { pickFreePort } from '../targets/http/server-launch/free-port.js';

export async function withLaunchPort(workload: Workload): Promise<Workload> {
  if (workload.server === undefined || workload.target.kind !== 'http') return workload;
  if (workload.server.kind === 'triton') return { ...workload, target: { ...workload.target, health: { routes: [], auto: false } } };
  const port = await pickFreePort();
  const url = new URL(workload.target.url);
  url.port = String(port);
  const endpoints = Object.fromEntries(
    Object.entries(workload.target.endpoints).map(([stage, endpoint]) => [
      stage,
      endpoint === undefined ? endpoint : onPort(endpoint, port),
    ]),
  );
  return {
    ...workload,
    target: { ...workload.target, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, endpoints, health: { routes: [], auto: false } },
  };
}

/**
 * A launched sweep's metrics URLs that name no port are its launched servers' (their port filled
 * in): given explicitly, as the servers are not up yet when scraping starts.
 */
export function metricsOnLaunchPort(urls: readonly string[], workload: Workload): string[] {
  if (workload.server?.kind !== 'launch' || workload.target.kind !== 'http') return [...urls];
  const port = Number(new URL(workload.target.url).port);
  return urls.map((raw) => {
    const url = new URL(raw);
    if (url.port !== '') return raw;
    url.port = String(port); // keeps user:password and the query, unlike onPort
    return url.toString();
  });
}

/** An endpoint on the launched server's host without a port of its own gets the launched port. */
function onPort(endpoint: string, port: number): string {
  const url = new URL(endpoint);
  if (url.port !== '') return endpoint;
  url.port = String(port);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
