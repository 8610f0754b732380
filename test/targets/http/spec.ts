/** An HttpTargetSpec for tests: the template protocol against a fault server, overridable per test. */
import type { HttpTargetSpec } from '../../../src/workload/types.js';

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
    health: null,
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
