import { describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../../src/cli/run-flags.js';
import { runOverridesFromFlags } from '../../src/cli/run-flag-values.js';
import { InputError } from '../../src/errors.js';
import { parseWorkload } from '../../src/workload/load.js';
import { resolveRunPlan } from '../../src/workload/run-plan.js';
import type { Workload } from '../../src/core/workload.js';

const HTTP = parseWorkload('target: { url: http://127.0.0.1, protocol: kserve-v2 }\n', 'workloads/http.yaml', '/base');
const LAUNCH = 'pipebench serve --port {port} --max-batch-size {maxBatchSize}';

function plan(flags: Parameters<typeof runOverridesFromFlags>[0], base: Workload = HTTP): Workload {
  return resolveRunPlan(base, runOverridesFromFlags(flags, false), RUN_FLAGS);
}

function planError(flags: Parameters<typeof runOverridesFromFlags>[0], base: Workload = HTTP): string {
  try {
    plan(flags, base);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('--server-launch, --server-param, --server-health', () => {
  it('make a server: block without a file: the template, its parameter lists, the health route', () => {
    const workload = plan({ serverLaunch: LAUNCH, serverParam: ['maxBatchSize=1,8,32'], serverHealth: '/v2/health/ready' });
    expect(workload.server).toMatchObject({
      command: LAUNCH,
      params: { maxBatchSize: [1, 8, 32] },
      healthPath: '/v2/health/ready',
      searchAxis: 'maxBatchSize',
    });
  });

  it("replace one parameter's list of a workload's block and keep the rest", () => {
    const base = parseWorkload(
      `target: { url: http://127.0.0.1 }\nserver:\n  launch: "serve --port {port} --b {maxBatchSize} --d {maxQueueDelayMs}"\n  params: { maxBatchSize: [1, 2], maxQueueDelayMs: [0, 5] }\n`,
      'w.yaml',
      '/base',
    );
    expect(plan({ serverParam: ['maxQueueDelayMs=0,2,10'] }, base).server?.params).toEqual({
      maxBatchSize: [1, 2],
      maxQueueDelayMs: [0, 2, 10],
    });
  });

  it.each([
    [{ serverParam: ['maxBatchSize'] }, '--server-param: expected name=values such as maxBatchSize=1,8,32, got "maxBatchSize"'],
    [{ serverParam: ['maxBatchSize=1,8'] }, '--server-launch: expected a launch template with --server-param and --server-health'],
    [
      { serverLaunch: 'serve --max-batch {maxBatchSize}', serverParam: ['maxBatchSize=1'] },
      '--server-launch: expected a command template with {port} in it',
    ],
    [
      { serverLaunch: LAUNCH, serverParam: ['maxBatch=1'] },
      '--server-launch: expected every {placeholder} to be {port} or a parameter in server.params, got {maxBatchSize} (params: maxBatch)',
    ],
    [
      { serverLaunch: LAUNCH, serverParam: ['maxBatchSize=1'], serverHealth: 'health' },
      '--server-health: expected a path starting with "/"',
    ],
    [
      { serverLaunch: LAUNCH, serverParam: ['maxBatchSize=1'], target: 'http://127.0.0.1:8301' },
      '--target: expected a URL without a port with a launched server',
    ],
  ])('refuses %j naming the flag', (flags, message) => {
    expect(planError(flags)).toContain(message);
  });
});
