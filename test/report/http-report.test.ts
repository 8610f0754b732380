import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { StepRecorder } from '../../src/metrics/recorder.js';
import type { StepMeasurement } from '../../src/core/measurement.js';
import { buildRunReport, buildStepReport } from '../../src/analysis/analyze-run.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown/index.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { OpenLoopReport } from '../../src/core/report/step.js';
import { parseWorkload } from '../../src/workload/load.js';
import { planSteps } from '../../src/workload/plan.js';
import type { Step, Workload } from '../../src/core/workload.js';
import { environment } from './synthetic-run.js';

const SECRET = 'sk-live-0123456789abcdef';
const T0 = 1_750_000_000_000;

const schemaPath = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

function workloadOf(yaml: string): Workload {
  return parseWorkload(
    `target:
  url: http://127.0.0.1:8301
  headers: { X-Api-Key: "${SECRET}", X-Token: { env: BP_KEY } }
  auth: { bearerTokenEnv: BP_TOKEN }
${yaml}`,
    '/w/http.yaml',
    '/w',
  );
}

/** `count` items spread over one second, each e2e `e2eMs` of which the server reported `serverMs`; the first `failures` fail. */
function measure(count: number, e2eMs: number, serverMs: number, failures: Readonly<Record<string, number>> = {}): StepMeasurement {
  const recorder = new StepRecorder({ clock: () => T0 });
  const classes = Object.entries(failures).flatMap(([errorClass, n]) => Array.from({ length: n }, () => errorClass));
  for (let i = 0; i < count; i++) {
    const tArrivalMs = T0 + (i * 1000) / count;
    const errorClass = classes[i];
    recorder.record({
      ok: errorClass === undefined,
      ...(errorClass !== undefined && { errorClass }),
      tArrivalMs,
      tResponseMs: tArrivalMs + e2eMs,
      queueMs: 1,
      inferenceMs: e2eMs - 1,
      batchSize: 1,
      ...(errorClass === undefined && { serverMs }),
    });
  }
  return recorder.finish();
}

function openLoop(step: Step, sends: number, lateSends: number): OpenLoopReport {
  const arrivals = step.arrivals!;
  return {
    process: arrivals.process,
    targetRatePerSec: arrivals.ratePerSec,
    achievedRatePerSec: arrivals.ratePerSec * 0.98,
    maxInFlight: arrivals.maxInFlight,
    sends,
    lateSends,
    lateShare: lateSends / sends,
    lateThresholdMs: 2,
    maxLateMs: 7.5,
  };
}

function reportOf(workload: Workload, build: (step: Step) => ReturnType<typeof buildStepReport>): RunReport {
  return buildRunReport({
    runId: 'http-run',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    partial: false,
    interruptedBy: null,
    environment,
    target: {
      kind: 'http',
      description: 'HTTP betterprompts http://127.0.0.1:8301',
      url: 'http://127.0.0.1:8301',
      protocol: 'betterprompts',
    },
    backend: null,
    models: [],
    workload,
    steps: planSteps(workload).map(build),
    warnings: [],
  });
}

const openWorkload = workloadOf('load: { arrivals: poisson, rates: [10, 20], maxInFlight: 32 }\nstages: [{ stage: pipeline }]');
const openReport = reportOf(openWorkload, (step) =>
  step.arrivals!.ratePerSec === 10
    ? buildStepReport(step, measure(50, 40, 30), openWorkload.budget, true, null, openLoop(step, 50, 0))
    : buildStepReport(step, measure(100, 90, 35, { http_429: 3, timeout: 1 }), openWorkload.budget, true, null, openLoop(step, 100, 4)),
);

describe('report.json for an HTTP open-loop run', () => {
  const json = renderJson(openReport);

  it('validates against the schema (target, openLoop, server and overhead phases)', () => {
    const parsed: unknown = JSON.parse(json);
    expect(validate(parsed) ? [] : validate.errors).toEqual([]);
    const step = openReport.steps[1]!;
    expect(step.concurrency).toBeNull();
    expect(step.openLoop).toMatchObject({ process: 'poisson', targetRatePerSec: 20, sends: 100, lateSends: 4, lateShare: 0.04 });
    expect(step.latencyMs.server?.p50).toBeCloseTo(35, 1);
    expect(step.latencyMs.overhead?.p50).toBeCloseTo(89 - 35, 1);
    expect(step.errors.byClass).toEqual({ http_429: 3, timeout: 1 });
  });

  it('never holds a literal header value; env names and auth variable names stay', () => {
    expect(json).not.toContain(SECRET);
    expect(renderMarkdown(openReport)).not.toContain(SECRET);
    const target = openReport.workload.target;
    expect(target.kind === 'http' && target.headers).toEqual({ 'X-Api-Key': { value: '<redacted>' }, 'X-Token': { env: 'BP_KEY' } });
    expect(target.kind === 'http' && target.auth).toEqual({ kind: 'bearer-env', tokenEnv: 'BP_TOKEN' });
    // The workload given to the builder is untouched (the runner still needs the value).
    expect(openWorkload.target.kind === 'http' && openWorkload.target.headers['X-Api-Key']).toEqual({ value: SECRET });
  });

  it('a schema violation in the new fields is caught', () => {
    const parsed = JSON.parse(json) as { steps: { openLoop: { lateShare: number } }[]; target: { kind: string } };
    parsed.steps[0]!.openLoop.lateShare = 2;
    parsed.target.kind = 'grpc';
    expect(validate(parsed)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/target/kind', '/steps/0/openLoop/lateShare']),
    );
  });
});

describe('report.md for HTTP targets', () => {
  const md = renderMarkdown(openReport);
  const section = md.split('## pipeline\n')[1]?.split('\n## ')[0] ?? '';

  it('names the target with its protocol and URL', () => {
    expect(md).toContain('- Target: HTTP, protocol betterprompts, http://127.0.0.1:8301');
  });

  it('step table: rate column, server time and overhead columns', () => {
    const header = section.split('\n').find((line) => line.startsWith('| batch'));
    expect(header).toContain('| batch | rate | p50 e2e |');
    expect(header).toContain('| server p50 | server p95 | overhead p50 | overhead p95 |');
    expect(section).toContain('| 1 | 10/s | 40 ms |');
  });

  it('open-loop table: target rate, achieved, late sends', () => {
    expect(section).toContain('**Open loop**');
    expect(section).toContain('| batch | arrivals | target rate | achieved | sends | late sends | max late | in-flight cap |');
    expect(section).toContain('| 1 | poisson | 20/s | 19.6/s | 100 | 4 (4 %, > 2 ms) | 7.5 ms | 32 |');
  });

  it('errors by class only for steps that had any, most frequent first', () => {
    expect(section).toContain('**Errors by class:**');
    expect(section).toContain('| 1 | 20/s | 4 | 4 % | http_429 3, timeout 1 |');
    expect(section).not.toContain('| 1 | 10/s | 0 |');
  });

  it('an in-process closed-loop report has none of these parts', () => {
    const closed = parseWorkload('stages: [{ stage: classify, batchSizes: [1, 2] }]', '/w/local.yaml', '/w');
    const report = buildRunReport({
      ...openReport,
      target: { kind: 'inprocess', description: 'wasm', url: null, protocol: null },
      workload: closed,
      steps: planSteps(closed).map((step) => buildStepReport(step, measure(20, 5, 0), closed.budget)),
    });
    const text = renderMarkdown(report);
    expect(text).toContain('- Target: in process (wasm)');
    expect(text).not.toContain('Open loop');
    expect(text).not.toContain('Errors by class');
    expect(text).not.toContain('in flight');
  });
});

describe('an HTTP generate run: health route, text received, a step the hard limit cut short', () => {
  const closed = workloadOf('measure: { requests: 100, maxDuration: 1s }\nstages: [{ stage: generate, concurrency: [1, 4] }]');
  /** `count` ok items spread over a second, each with `chars` characters of text received. */
  const withText = (count: number, chars: number): StepMeasurement => {
    const recorder = new StepRecorder({ clock: () => T0 });
    for (let i = 0; i < count; i++) {
      const tArrivalMs = T0 + (i * 1000) / count;
      recorder.record({
        ok: true,
        tArrivalMs,
        tResponseMs: tArrivalMs + 90,
        queueMs: 1,
        inferenceMs: 89,
        batchSize: 1,
        outputChars: chars,
      });
    }
    return recorder.finish();
  };
  const report = buildRunReport({
    ...openReport,
    target: { ...openReport.target, health: { route: '/health/', passedOver: ['/api/v1/health: HTTP 404', '/health: HTTP 307'] } },
    workload: closed,
    steps: planSteps(closed).map((step) =>
      step.concurrency === 1
        ? buildStepReport(step, withText(9, 300), closed.budget, true, null, null, { endedBy: 'maxDuration' })
        : buildStepReport(step, withText(100, 64), closed.budget, true, null, null, { endedBy: 'requests' }),
    ),
  });
  const md = renderMarkdown(report);
  const section = md.split('## generate\n')[1]?.split('\n## ')[0] ?? '';

  it('report.json validates with the new fields: requested, measured, endedBy, outputText, target.health', () => {
    const parsed = JSON.parse(renderJson(report)) as { steps: Record<string, unknown>[]; target: Record<string, unknown> };
    expect(validate(parsed) ? [] : validate.errors).toEqual([]);
    expect(parsed.steps.map((step) => [step['requested'], step['measured'], step['endedBy']])).toEqual([
      [100, 9, 'maxDuration'],
      [100, 100, 'requests'],
    ]);
    expect(parsed.steps[1]?.['outputText']).toMatchObject({ items: 100, meanChars: 64, p50Chars: 64 });
    expect(parsed.steps[0]?.['maxNewTokens']).toBeNull();
    parsed.steps[0]!['endedBy'] = 'timeout';
    (parsed.steps[1]!['outputText'] as Record<string, unknown>)['meanChars'] = '64';
    parsed.target['health'] = { passedOver: [] };
    expect(validate(parsed)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/steps/0/endedBy', '/steps/1/outputText/meanChars', '/target/health']),
    );
  });

  it('report.md: which health route answered, no max_tokens sent, text length columns, measured of requested', () => {
    expect(md).toContain(
      '- Target: HTTP, protocol betterprompts, http://127.0.0.1:8301; health check GET /health/ answered (not there: /api/v1/health: HTTP 404, /health: HTTP 307)',
    );
    expect(section).toContain("no max_tokens sent (the server's default length)");
    const header = section.split('\n').find((line) => line.startsWith('| batch')) ?? '';
    expect(header).toContain('| text chars mean | text chars p50 | measured |');
    expect(section).toContain('| 300 | 300 | 9 of 100 (hard limit) |');
    expect(section).toContain('| 64 | 64 | 100 of 100 |');
  });

  it('no step cut short, no measured column; a skipped health check says so', () => {
    const whole = buildRunReport({ ...report, target: { ...report.target, health: null }, steps: report.steps.slice(1) });
    const text = renderMarkdown(whole);
    expect(text).not.toContain('| measured |');
    expect(text).toContain('; health check skipped');
  });
});

describe('scaling with load levels', () => {
  it('speedup is computed per concurrency level, against the smallest batch at that level', () => {
    const workload = workloadOf('stages: [{ stage: classify, batchSizes: [1, 4], concurrency: [1, 8] }]');
    const report = reportOf(workload, (step) =>
      // batch 4 is 3x the items of batch 1 at each level; level 8 is twice level 1.
      buildStepReport(step, measure((step.batchSize === 1 ? 20 : 60) * (step.concurrency === 8 ? 2 : 1), 5, 1), workload.budget),
    );
    expect(report.steps.map((s) => [s.batchSize, s.concurrency, s.speedup])).toEqual([
      [1, 1, 1],
      [1, 8, 1],
      [4, 1, expect.closeTo(3, 0)],
      [4, 8, expect.closeTo(3, 0)],
    ]);
  });
});
