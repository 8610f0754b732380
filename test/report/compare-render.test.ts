import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/analysis/compare.js';
import { DEFAULT_COMPARE_OPTIONS } from '../../src/analysis/compare-model.js';
import { renderCompareMarkdown } from '../../src/report/markdown/compare.js';
import { renderCompareText } from '../../src/report/compare-text.js';
import { latencySamplesMs, makeRun, scaled, type StepSpec } from '../analysis/compare-fixtures.js';

const samples = latencySamplesMs(400, 30, 0.2, 4);
const WINDOWS = [80, 82, 79, 81];
const base: StepSpec[] = [
  { stage: 'classify', batchSize: 4, samplesMs: samples, windowCounts: WINDOWS },
  { stage: 'pipeline', batchSize: 16, samplesMs: samples, windowCounts: WINDOWS },
];
const slower: StepSpec[] = [base[0]!, { ...base[1]!, samplesMs: scaled(samples, 1.25), complete: false }];
const sources = { baseline: 'base/report.json', candidate: 'cand/report.json' };

const failed = compareRuns(makeRun(base, 'base-run'), makeRun(slower, 'cand-run'), {
  ...DEFAULT_COMPARE_OPTIONS,
  latencyThreshold: 0.15,
  differences: [{ field: 'backend.name', baseline: '"wasm"', candidate: '"cpu"' }],
});
const passed = compareRuns(makeRun(base, 'base-run'), makeRun([base[0]!], 'cand-run'));

describe('renderCompareText', () => {
  it('leads with the verdict, then the reasons, warnings, an aligned table and the marks', () => {
    const text = renderCompareText(failed, sources);
    const lines = text.split('\n');
    expect(lines[0]).toBe('pipebench compare: FAIL: 3 regressions');
    expect(text).toContain('  baseline   base/report.json (run base-run)');
    expect(text).toContain('thresholds: latency 15 %, throughput 10 %');
    expect(text).toContain('warning: not comparable, compared anyway (--force): backend.name differs');
    expect(text).toMatch(/^ {2}pipeline batch 16: p95 \+2[45]\.\d % \(95 % CI .+\) exceeds 15 %$/m);
    expect(text).toMatch(/^pipeline batch 16 \(incomplete in candidate\) +p95 +.+REGRESSION$/m);
    const header = lines.find((l) => l.startsWith('step'))!;
    const row = lines.find((l) => l.startsWith('classify batch 4') && l.includes('p50'))!;
    expect(row.indexOf('ok')).toBe(header.indexOf('status'));
  });

  it('lists steps only one run has', () => {
    const text = renderCompareText(passed, sources);
    expect(text.split('\n')[0]).toBe('pipebench compare: PASS: no regression beyond its threshold and the noise');
    expect(text).toContain('Not compared (no matching step):\n  only in the baseline: pipeline batch 16');
  });
});

describe('renderCompareMarkdown', () => {
  it('puts the verdict first and the regressions table before all metrics', () => {
    const md = renderCompareMarkdown(failed, sources);
    expect(md.startsWith('## pipebench compare: **FAIL**')).toBe(true);
    expect(md).toContain('> **Warning:** not comparable');
    const regressions = md.indexOf('### Regressions');
    const all = md.indexOf('### All metrics');
    expect(regressions).toBeGreaterThan(0);
    expect(all).toBeGreaterThan(regressions);
    const regressionTable = md.slice(regressions, all);
    expect(regressionTable).toContain('| pipeline batch 16 (incomplete in candidate) | p95 |');
    expect(regressionTable).not.toContain('| classify batch 4 |');
    expect(md.slice(all)).toContain('| classify batch 4 | p50 |');
    expect(md).toContain('<sub>A metric regresses only when');
  });

  it('says there are no regressions when it passes, and lists unpaired steps', () => {
    const md = renderCompareMarkdown(passed, sources);
    expect(md).toContain('None: no metric is past its threshold and beyond the noise.');
    expect(md).toContain('### Not compared\n\n- only in the baseline: pipeline batch 16');
  });
});
