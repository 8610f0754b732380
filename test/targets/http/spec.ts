/** An HttpTargetSpec for tests: the template protocol against a fault server, overridable per test. */
import { afterEach } from 'vitest';
import { createHttpTarget, type HttpTarget } from '../../../src/targets/http/target.js';
import type { HttpTargetSpec } from '../../../src/core/workload.js';
import { startFaultServer, type FaultServer } from '../../fixtures/http/fault-server.js';

/** Opens servers and targets for a test file; everything a test opened is closed after it (targets first). */
export function closedAfterEach(): {
  server: (...args: Parameters<typeof startFaultServer>) => Promise<FaultServer>;
  target: (...args: Parameters<typeof createHttpTarget>) => Promise<HttpTarget>;
} {
  const servers: FaultServer[] = [];
  const targets: HttpTarget[] = [];
  afterEach(async () => {
    await Promise.all(targets.splice(0).map((t) => t.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    server: async (...args) => {
      const server = await startFaultServer(...args);
      servers.push(server);
      return server;
    },
    target: async (...args) => {
      const target = await createHttpTarget(...args);
      targets.push(target);
      return target;
    },
  };
}

export function templateSpec(url: string, overrides: Partial<HttpTargetSpec> = {}): HttpTargetSpec {
  return {
    kind: 'http',
    url,
    protocol: 'template',
    endpoints: {},
    connections: 4,
    pipelining: 1,
    timeouts: { connectMs: 1000, headersMs: 2000, bodyMs: 2000 },
    retries: 0,
    maxResponseBytes: 64 * 1024,
    headers: {},
    auth: null,
    health: { routes: [], auto: false },
    options: { protocol: 'template', method: 'POST', body: '{"text": {{text}}}', outputPath: 'outputs', serverTime: null },
    ...overrides,
  };
}

/** The template options for a batch body ({{texts}}). */
export const BATCH_OPTIONS = {
  protocol: 'template',
  method: 'POST',
  body: '{"texts": {{texts}}}',
  outputPath: 'outputs',
  serverTime: { path: 'meta.took', unit: 's' },
} as const;
