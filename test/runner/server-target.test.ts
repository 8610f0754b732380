import { describe, expect, it } from 'vitest';
import { parseWorkload } from '../../src/workload/load.js';
import { metricsOnLaunchPort, withLaunchPort } from '../../src/runner/server-target.js';

const LAUNCH = `target: { url: http://127.0.0.1, protocol: kserve-v2 }
server:
  launch: "serve --port {port} --max-batch-size {maxBatchSize}"
  params: { maxBatchSize: [1, 8] }
`;

describe("a launched sweep's metrics URLs", () => {
  it('a URL without a port gets the launched port, keeping its credentials and query; one with a port is left alone', async () => {
    const workload = await withLaunchPort(parseWorkload(LAUNCH, 'w.yaml', '/'));
    const port = new URL(workload.target.kind === 'http' ? workload.target.url : '').port;
    expect(Number(port)).toBeGreaterThan(0);
    expect(metricsOnLaunchPort(['http://u:p@127.0.0.1/metrics?x=1', 'http://127.0.0.1:9400/metrics'], workload)).toEqual([
      `http://u:p@127.0.0.1:${port}/metrics?x=1`,
      'http://127.0.0.1:9400/metrics',
    ]);
  });

  it('without a launch (no server, or a running Triton) the URLs are as given', () => {
    const plain = parseWorkload('target: { url: "http://127.0.0.1:8000", protocol: kserve-v2 }\n', 'w.yaml', '/');
    expect(metricsOnLaunchPort(['http://127.0.0.1/metrics'], plain)).toEqual(['http://127.0.0.1/metrics']);
  });
});
