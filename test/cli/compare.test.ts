import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cumulativeCounts } from '../../src/analysis/bootstrap.js';
import { createHistogram, decodeHistogram, encodeHistogram, summarize } from '../../src/metrics/histogram.js';
import type { LatencyPhase, LatencySummary } from '../../src/core/measurement.js';
import type { RunReport } from '../../src/core/report/run.js';
import type { StepReport } from '../../src/core/report/step.js';
import { mulberry32 } from '../../src/random.js';
import { FIXTURES, runCli } from './cli-process.js';

const STACK_LINE = /^\s+at /m;

let out: string;
let baselinePath: string;
let candidatePath: string;

async function readReport(path: string): Promise<RunReport> {
  return JSON.parse(await readFile(path, 'utf8')) as RunReport;
}

/** Every recorded latency x factor (bucket by bucket, counts kept) and throughput / factor. */
function slowedStep(step: StepReport, factor: number): StepReport {
  const histograms: Partial<Record<LatencyPhase, string>> = {};
  const latencyMs: Partial<Record<LatencyPhase, LatencySummary>> = {};
  for (const [phase, encoded] of Object.entries(step.histograms) as [LatencyPhase, string][]) {
    const counts = cumulativeCounts(decodeHistogram(encoded));
    const slowed = createHistogram();
    counts.valuesUs.forEach((valueUs, i) => {
      const count = (counts.cumulative[i] as number) - (i === 0 ? 0 : (counts.cumulative[i - 1] as number));
      slowed.recordValueWithCount(Math.round(valueUs * factor), count);
    });
    histograms[phase] = encodeHistogram(slowed);
    latencyMs[phase] = summarize(slowed)!;
  }
  return {
    ...step,
    histograms,
    latencyMs,
    throughput: { ...step.throughput, itemsPerSec: step.throughput.itemsPerSec / factor },
    windows: step.windows.map((w) => ({ ...w, completed: Math.round(w.completed / factor) })),
  };
}

/**
 * A second sample of the same step: every phase's values drawn again, with replacement, from the
 * recorded distribution (seeded), as many as were recorded. What differs is sampling noise only.
 */
function resampledStep(step: StepReport, random: () => number): StepReport {
  const histograms: Partial<Record<LatencyPhase, string>> = {};
  const latencyMs: Partial<Record<LatencyPhase, LatencySummary>> = {};
  for (const [phase, encoded] of Object.entries(step.histograms) as [LatencyPhase, string][]) {
    const { valuesUs, cumulative } = cumulativeCounts(decodeHistogram(encoded));
    const total = cumulative[cumulative.length - 1] ?? 0;
    const drawn = createHistogram();
    for (let n = 0; n < total; n++) {
      const rank = Math.floor(random() * total);
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const mid = (low + high) >> 1;
        if ((cumulative[mid] as number) > rank) high = mid;
        else low = mid + 1;
      }
      drawn.recordValue(valuesUs[low] as number);
    }
    histograms[phase] = encodeHistogram(drawn);
    latencyMs[phase] = summarize(drawn)!;
  }
  return { ...step, histograms, latencyMs };
}

/**
 * One real run of the tiny workload, and a candidate that is a second sample of the same
 * distributions (resampled from its histograms): sampling noise alone. Two separate runs on this
 * 2-core VM can differ by up to 40 % at p50 from one process to the next (classify batch 1 at
 * 26-37 ms over four back-to-back runs), more than one run's histograms can know about: that
 * run-to-run noise is judged from --repeat spreads, in the test of two real repeated runs below.
 */
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipebench-compare-'));
  const result = await runCli([
    'run',
    join(FIXTURES, 'cli-tiny.yaml'),
    '--backend',
    'wasm',
    '--requests',
    '60',
    '--warmup',
    '48',
    '--no-gpu',
    '-q',
    '--out',
    join(out, 'baseline'),
  ]);
  expect(result.code, result.stderr).toBe(0);
  baselinePath = join(out, 'baseline', 'report.json');
  candidatePath = join(out, 'candidate', 'report.json');
  const baseline = await readReport(baselinePath);
  const random = mulberry32(7);
  await mkdir(join(out, 'candidate'));
  await writeFile(candidatePath, JSON.stringify({ ...baseline, steps: baseline.steps.map((step) => resampledStep(step, random)) }));
}, 180_000);

describe('pipebench compare (built binary)', () => {
  it('a second sample of the same run PASSes (sampling noise is not a regression) and writes Markdown and JSON', async () => {
    const md = join(out, 'same.md');
    const json = join(out, 'same.json');
    const result = await runCli(['compare', baselinePath, candidatePath, '--markdown', md, '--json', json]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^pipebench compare: PASS/);
    expect(result.stdout).toContain('classify batch 4');
    const markdown = await readFile(md, 'utf8');
    expect(markdown).toContain('## pipebench compare: **PASS**');
    expect(markdown).toContain('| Step | Metric | Baseline | Candidate | Change | 95 % CI | Threshold | Status |');
    const written = JSON.parse(await readFile(json, 'utf8')) as {
      verdict: string;
      pairs: unknown[];
      thresholds: unknown;
      sources: unknown;
    };
    expect(written.verdict).toBe('PASS');
    expect(written.pairs).toHaveLength(3);
    expect(written.thresholds).toEqual({ latency: 0.1, throughput: 0.1 });
    expect(written.sources).toEqual({ baseline: baselinePath, candidate: candidatePath });
  });

  it('two separate runs of the same workload, each with --repeat 3, PASS (run-to-run drift is noise, not a regression)', async () => {
    const tinyRun = (name: string) =>
      runCli([
        'run',
        join(FIXTURES, 'cli-tiny.yaml'),
        '--backend',
        'wasm',
        '--requests',
        '60',
        '--warmup',
        '48',
        '--repeat',
        '3',
        '--no-gpu',
        '-q',
        '--out',
        join(out, name),
      ]);
    for (const name of ['repeat-a', 'repeat-b']) {
      const run = await tinyRun(name);
      expect(run.code, run.stderr).toBe(0);
    }
    const json = join(out, 'repeated.json');
    const result = await runCli(['compare', join(out, 'repeat-a', 'report.json'), join(out, 'repeat-b', 'report.json'), '--json', json]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^pipebench compare: PASS/);
    expect(result.stdout).toContain('widened by the spread across repeats');
    expect(result.stdout).not.toContain('neither run was repeated');
    const written = JSON.parse(await readFile(json, 'utf8')) as { pairs: { metrics: { kind: string; repeatInterval?: unknown }[] }[] };
    expect(written.pairs).toHaveLength(3);
    // Every latency and throughput judgement carried a run-to-run interval from the repeats.
    for (const pair of written.pairs) {
      for (const m of pair.metrics) if (m.kind === 'latency' || m.kind === 'throughput') expect(m.repeatInterval).not.toBeNull();
    }
  }, 300_000);

  it('a candidate 25 % slower FAILs with exit 1, naming the step and metric', async () => {
    const baseline = await readReport(baselinePath);
    const slowPath = join(out, 'slow.json');
    await writeFile(slowPath, JSON.stringify({ ...baseline, runId: 'slow', steps: baseline.steps.map((s) => slowedStep(s, 1.25)) }));
    const md = join(out, 'slow.md');
    const result = await runCli(['compare', baselinePath, slowPath, '--markdown', md]);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/^pipebench compare: FAIL/);
    // Which metrics clear the noise depends on the run's samples (60 items a step); every one that
    // does reads +25 % with an interval wholly above 0, and the regressions name the steps.
    const regressions =
      result.stdout
        .split('Regressions:\n')[1]
        ?.split(/\n(?! {2})/)[0]
        ?.split('\n') ?? [];
    expect(regressions.length).toBeGreaterThan(0);
    for (const line of regressions) {
      expect(line).toMatch(
        /^ {2}(classify batch [14]|pipeline batch 2): (p50|p95|p99|throughput) \+2[45]\.\d % \(95 % CI \+[\d.]+ % \.\. \+[\d.]+ %\) exceeds 10 %$/,
      );
    }
    const markdown = await readFile(md, 'utf8');
    expect(markdown.indexOf('### Regressions')).toBeLessThan(markdown.indexOf('### All metrics'));
    expect(markdown).toContain('**REGRESSION**');
    // A looser latency threshold turns the same change into a pass.
    const loose = await runCli(['compare', baselinePath, slowPath, '--latency-threshold', '30%', '--metrics', 'p50,p95,p99']);
    expect(loose.code, loose.stdout).toBe(0);
  });

  it('refuses an incomparable pair with exit 2 naming the field, and --force compares with a warning', async () => {
    const baseline = await readReport(baselinePath);
    const otherPath = join(out, 'other-backend.json');
    await writeFile(otherPath, JSON.stringify({ ...baseline, backend: { ...baseline.backend!, name: 'cpu' } }));
    const refused = await runCli(['compare', baselinePath, otherPath]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('backend.name');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(STACK_LINE);
    const json = join(out, 'forced.json');
    const forced = await runCli(['compare', baselinePath, otherPath, '--force', '--json', json]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(
      'warning: not comparable, compared anyway (--force): backend.name differs (baseline "wasm", candidate "cpu")',
    );
    const written = JSON.parse(await readFile(json, 'utf8')) as { differences: { field: string }[] };
    expect(written.differences.map((d) => d.field)).toEqual(['backend.name']);
  });

  it.each([
    ['missing.json', 'missing.json'],
    ['not-json', 'not-json'],
    ['not-a-report', 'not-a-report'],
  ])('bad input %s exits 2 naming the file', async (name, named) => {
    const path = join(out, name);
    if (name === 'not-json') await writeFile(path, '{ nope');
    if (name === 'not-a-report') await writeFile(path, JSON.stringify({ hello: 'world' }));
    const result = await runCli(['compare', baselinePath, path]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(named);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('bad flags exit 2 naming the flag', async () => {
    const result = await runCli(['compare', baselinePath, candidatePath, '--metrics', 'p50,p42']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--metrics');
  });
});
