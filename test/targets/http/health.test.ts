/**
 * The health preflight tries its routes in turn against a real server shaped like the BetterPrompts
 * prompt generator (FastAPI: only GET /health/, a 307 from /health, 404 elsewhere).
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TargetUnavailableError } from '../../../src/errors.js';
import { createHttpTarget } from '../../../src/targets/http/target.js';
import { HTTP_DEFAULTS } from '../../../src/workload/defaults.js';
import type { ReceivedRequest } from '../../fixtures/http/fault-server.js';
import { closedAfterEach, templateSpec } from './spec.js';

const open = closedAfterEach();

/** What the prompt generator's service answers (seen running its code on loopback). */
function promptGenerator(request: ReceivedRequest, res: ServerResponse): void {
  if (request.method === 'GET' && request.url === '/health/') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy","service":"prompt-generator"}');
  } else if (request.method === 'GET' && request.url === '/health') {
    res.writeHead(307, { location: 'http://127.0.0.1/health/' }).end();
  } else {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
  }
}

const routes = (list: readonly string[], auto = true) => ({ health: { routes: list, auto } });

describe('health routes tried in turn', () => {
  it('a service with only /health/ passes: the routes before it are passed over and named', async () => {
    const server = await open.server(promptGenerator);
    const target = await open.target(templateSpec(server.url, routes(HTTP_DEFAULTS.healthRoutes.betterprompts)));
    expect(target.info.health).toEqual({ route: '/health/', passedOver: ['/api/v1/health: HTTP 404', '/health: HTTP 307'] });
    // It stops at the first that answers: /v2/health/ready and /ping are never asked.
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/health', 'GET /health', 'GET /health/']);
  });

  it('the first route that answers wins; an unhealthy route (503) stops the run at once', async () => {
    const healthy = await open.server(promptGenerator);
    const target = await open.target(templateSpec(healthy.url, routes(['/health/', '/ping'])));
    expect(target.info.health).toEqual({ route: '/health/', passedOver: [] });
    const sick = await open.server((request, res) => {
      if (request.url === '/health') res.writeHead(503).end('loading model');
      else res.writeHead(404).end();
    });
    const error = await createHttpTarget(templateSpec(sick.url, routes(['/api/v1/health', '/health', '/ping']))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toBe(`target ${sick.url} is not healthy: HTTP 503: loading model (health check GET /health)`);
    expect(sick.received.map((r) => r.url)).toEqual(['/api/v1/health', '/health']);
  });

  it('no route answers: one line naming each route and its status, and the flags that help', async () => {
    const server = await open.server((_request, res) => res.writeHead(404).end('nope'));
    const error = await createHttpTarget(templateSpec(server.url, routes(['/health', '/ping']))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toBe(
      `target ${server.url} answered no health check route (GET /health: HTTP 404, /ping: HTTP 404); give --health PATH for its route, or --no-health to skip the check`,
    );
  });

  it('no routes: no request at all, and the target says the check was skipped', async () => {
    const server = await open.server(promptGenerator);
    const target = await open.target(templateSpec(server.url, routes([], false)));
    expect(target.info.health).toBeNull();
    expect(server.requests).toBe(0);
  });
});
