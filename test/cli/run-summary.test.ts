import { describe, expect, it } from 'vitest';
import { renderRunSummary } from '../../src/cli/run-summary.js';
import { buildRunReport } from '../../src/analysis/analyze-run.js';
import { syntheticParts, syntheticReport } from '../report/synthetic-run.js';

describe('renderRunSummary', () => {
  it('verdict, the recommendation sentence per stage, flagged percentiles, warnings, files', () => {
    const lines = renderRunSummary(syntheticReport(), ['/out/report.json']).trimEnd().split('\n');
    expect(lines[0]).toBe('run 2026-01-01T00-00-00Z-synthetic: complete; budget met');
    expect(lines[1]).toBe('  classify: batch 4 is the largest within budget (400 items/s at p95 8 ms): 8 breaks p95 3 s (4 s)');
    expect(lines[2]).toMatch(
      /^ {2}generate: batch 1 is the largest within budget .*its p95 rests on too few samples \(MLPerf's early-stopping rule needs 90, it has 10\)$/,
    );
    expect(lines[3]).toBe("  † classify: p99 of batch 1, 2, 4 rest on too few samples (MLPerf's early-stopping rule needs 459 for a p99)");
    expect(lines[4]).toBe(
      "  † generate: p50 of batch 4; p95 of batch 1, 2, 4; p99 of batch 1, 2, 4 rest on too few samples (MLPerf's early-stopping rule needs 7 for a p50, 90 for a p95, 459 for a p99)",
    );
    expect(lines.at(-1)).toBe('  wrote /out/report.json');
  });

  it('names unstable steps', () => {
    const parts = syntheticParts();
    const steps = parts.steps.map((step) =>
      step.index === 3
        ? { ...step, stability: { kind: 'unstable' as const, reason: 'x', p95Spread: 0.3, throughputSpread: 0.1, extendedMs: 0 } }
        : step,
    );
    expect(renderRunSummary(buildRunReport({ ...parts, steps }), [])).toContain(
      '  ‡ classify: batch 8 did not settle (unstable measurement)\n',
    );
  });
});
